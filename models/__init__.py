from . import village_care_tag
from . import res_partner
from . import helpdesk_ticket_team
from . import village_chat_group
from . import helpdesk_ticket
from . import crm_lead
from . import res_config_settings
from . import village_daily_stat
