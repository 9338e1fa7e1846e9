from . import village_coverage_report
from . import village_closeout_report
from . import village_weekly_report
from . import village_closeout_ledger_xlsx
from . import village_demand_report
from . import village_demand_xlsx
from . import village_pdf_text
