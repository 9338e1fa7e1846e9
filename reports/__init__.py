from . import village_coverage_report, village_demand_report, village_demand_xlsx
