from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class VillageCustomerPortal(CustomerPortalHelpdesk):
    """The appointed contact of a village (its `village_contact_id`) sees, and
    may post on, every problem of that village on the portal (record rule
    `helpdesk_ticket_rule_portal`; helpdesk_mgmt posts with read access); any
    other portal user, a villager included, only their own problems. A
    station's problem one may not see answers 404, like one that does not
    exist, so ids cannot be probed; tickets of other teams behave as in plain
    helpdesk_mgmt."""

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError) as exc:
            ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
            if not ticket or ticket.team_id.require_closeout:
                raise NotFound() from exc
            # tickets of other teams keep plain helpdesk_mgmt's answer (a redirect)
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if ticket.require_closeout:
            # a station's problem is closed by close-out (销号), not by its customer
            values["closed_stages"] = ticket.stage_id.browse()
        return values


class VillageHelpdeskTicketController(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes any ticket id it is given (as superuser): only
        a ticket the user may read, and never around the close-out of a station."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id") or 0)).exists()
            ticket.check_access("read")
        except (AccessError, MissingError, ValueError) as exc:
            raise NotFound() from exc
        if not ticket or ticket.sudo().require_closeout:
            raise NotFound()
        return super().support_ticket_close(**kw)

    def _prepare_submit_ticket_vals(self, **kw):
        """A problem submitted by a villager or a village contact belongs to
        their village (the contact's: the village they are the contact of),
        which routes it to the village's station and account manager."""
        vals = super()._prepare_submit_ticket_vals(**kw)
        partner = request.env.user.partner_id.sudo()
        village = partner.village_id or partner.village_contact_village_ids[:1]
        if village:
            vals["village_id"] = village.id
            if not vals.get("team_id") and village.village_station_id:
                vals["team_id"] = village.village_station_id.id
                vals["stage_id"] = village.village_station_id._get_applicable_stages()[:1].id
        return vals
