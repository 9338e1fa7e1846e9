from . import helpdesk_ticket_closeout
from . import village_weekly_report_wizard
from . import village_agreement_bulk_create
from . import village_agreement_terminate
from . import helpdesk_ticket_create_lead
from . import village_inquiry_done
from . import village_meeting_done
