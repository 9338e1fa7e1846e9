from . import (
    crm_lead,
    helpdesk_ticket,
    helpdesk_ticket_team,
    res_config_settings,
    res_partner,
    village_agreement,
    village_care_tag,
    village_chat_group,
)
