from . import (
    crm_lead,
    helpdesk_ticket,
    helpdesk_ticket_team,
    mail_activity,
    res_config_settings,
    res_partner,
    village_care_tag,
    village_chat_group,
    village_inquiry_rule,
    village_inquiry_state,
    village_meeting,
    village_meeting_topic,
)
