from . import helpdesk_ticket_closeout
from . import village_weekly_report_wizard
