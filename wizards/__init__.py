from . import helpdesk_ticket_create_lead
