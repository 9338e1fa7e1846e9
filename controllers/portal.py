from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import format_list


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


class VillageOutageNoticePortal(CustomerPortal):
    """The appointed contact of a village reads the notified outage notices
    of that village on the portal (*Outage Notices*): kind, start and end in
    the service area's time, villages, reason. The record rule
    `village_outage_notice_rule_portal` chooses them; the pages add nothing to
    it but the state (an internal user sees the notified notices of their
    stations here too). Any other id answers 404, like a station's problem."""

    def _outage_notice_domain(self):
        return [("state", "=", "notified")]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "outage_notice_count" in counters:
            Notice = request.env["village.outage.notice"]
            values["outage_notice_count"] = (
                Notice.search_count(self._outage_notice_domain()) if Notice.has_access("read") else 0
            )
        return values

    def _outage_notice_row(self, notice_sudo):
        """What the pages show of a notice the reader may read (`notice_sudo`
        was found or checked with the reader's rights): the moments in the
        service area's time, whatever the reader's time zone."""
        env = request.env
        area = env["village.service.area"]

        def moment(value):
            # a phone wraps the sentence, never inside a date
            return Markup('<span class="text-nowrap">%s</span>') % area._moment_shown(value)

        start = moment(notice_sudo.date_start)
        if notice_sudo.kind == "restored":
            when = env._("Power is back from %(start)s", start=start)
        elif notice_sudo.date_end:
            when = env._("From %(start)s to %(end)s", start=start, end=moment(notice_sudo.date_end))
        else:
            when = env._("From %(start)s, until further notice", start=start)
        return {
            "notice": notice_sudo,
            "when": when,
            "villages": format_list(env, notice_sudo._villages().mapped("name")),
        }

    @http.route(
        ["/my/outage-notices", "/my/outage-notices/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_outage_notices(self, page=1, **kw):
        Notice = request.env["village.outage.notice"]
        if not Notice.has_access("read"):
            return request.redirect("/my")
        domain = self._outage_notice_domain()
        pager = portal_pager(
            url="/my/outage-notices", total=Notice.search_count(domain), page=page, step=self._items_per_page
        )
        notices = Notice.search(
            domain, order="date_start desc, id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "rows": [self._outage_notice_row(notice) for notice in notices.sudo()],
                "page_name": "outage_notice",
                "default_url": "/my/outage-notices",
                "pager": pager,
            }
        )
        return request.render("village_service.portal_my_outage_notices", values)

    @http.route(["/my/outage-notices/<int:notice_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_outage_notice(self, notice_id, **kw):
        try:
            notice_sudo = self._document_check_access("village.outage.notice", notice_id)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        if notice_sudo.state != "notified":  # a draft of one's own station, for an internal user
            raise NotFound()
        # the outage a restoration follows, linked when the reader may read it
        restored = notice_sudo.restored_from_id
        if restored and not restored.with_user(request.env.user).has_access("read"):
            restored = restored.browse()
        kinds = dict(notice_sudo._fields["kind"]._description_selection(request.env))
        values = {
            "page_name": "outage_notice",
            "outage_notice": notice_sudo,
            "row": self._outage_notice_row(notice_sudo),
            "restored_from": restored,
            "restored_from_title": restored
            and request.env._(
                "%(kind)s · %(date)s",
                kind=kinds.get(restored.kind),
                date=request.env["village.service.area"]._moment_shown(restored.date_start),
            ),
        }
        values = self._get_page_view_values(notice_sudo, None, values, "my_outage_notices_history", False, **kw)
        return request.render("village_service.portal_my_outage_notice", values)
