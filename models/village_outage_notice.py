import logging
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# A WeCom group robot that does not answer within this many seconds is retried later
WEBHOOK_TIMEOUT = 10
# After this many failed attempts a post line is given up (failed): copy it by hand
WEBHOOK_MAX_ATTEMPTS = 5
# The fields of a notice that only the village service's staff read
STAFF = "village_service.group_village_user"


class VillageOutageNotice(models.Model):
    """A planned or unplanned outage, or a restoration, announced by a
    station: the texts for the villages' customer-service WeChat groups, and
    one reach line per household that does not read them (no smartphone, or
    a care tag of an active household inquiry rule)."""

    _name = "village.outage.notice"
    _description = "Outage Notice"
    _inherit = ["village.link.guard", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # draft -> notified: action_notify only
    _village_workflow_fields = ("state", "date_notified")

    name = fields.Char(
        string="Title",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    kind = fields.Selection(
        [("planned", "Planned Outage"), ("unplanned", "Unplanned Outage"), ("restored", "Power Restored")],
        required=True,
        default="planned",
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("notified", "Notified")],
        required=True,
        readonly=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    date_notified = fields.Datetime(string="Notified on", readonly=True, copy=False)
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_station', '=', True)]",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", tracking=True)
    reason = fields.Text(tracking=True)
    village_ids = fields.Many2many(
        "res.partner",
        "village_outage_notice_village_rel",
        "notice_id",
        "village_id",
        string="Villages",
        domain="[('village_kind', 'in', ('village', 'community')), ('village_station_id', '=', station_id)]",
    )
    # an outage of part of a village: the households on these areas, and the
    # WeChat groups of the villages they serve
    transformer_area_ids = fields.Many2many(
        "village.transformer.area",
        "village_outage_notice_area_rel",
        "notice_id",
        "area_id",
        string="Transformer Areas",
        domain="[('station_id', '=', station_id)]",
        help="The households on these transformer areas are reached (the villages chosen: all their households).",
        groups=STAFF,
    )
    restored_from_id = fields.Many2one(
        "village.outage.notice",
        string="Restoration of",
        index="btree_not_null",
        domain="[('kind', '!=', 'restored'), ('station_id', '=', station_id)]",
        help="The outage notice this restoration follows: its households are reached again.",
    )
    # the WeChat texts and the households to reach are the staff's: a portal
    # village contact reads the notice, never these (nor their figures)
    post_ids = fields.One2many("village.outage.post", "notice_id", string="WeChat Texts", groups=STAFF)
    reach_ids = fields.One2many("village.outage.reach", "notice_id", string="Households to Reach", groups=STAFF)
    reach_count = fields.Integer(string="Reach Lines", compute="_compute_reach_figures", groups=STAFF)
    unreached_count = fields.Integer(string="Not Reached Yet", compute="_compute_reach_figures", groups=STAFF)
    reach_rate = fields.Float(
        string="Reach Rate", compute="_compute_reach_figures", help="Households reached ÷ reach lines.", groups=STAFF
    )

    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)", "An outage cannot end before it starts."
    )

    @api.depends("kind", "date_start")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for notice in self:
            if notice.date_start:
                notice.name = self.env._(
                    "%(kind)s · %(date)s",
                    kind=kinds.get(notice.kind, ""),
                    date=self.env["village.service.area"]._moment_shown(notice.date_start),
                )
            else:
                notice.name = notice.name or kinds.get(notice.kind)

    @api.depends("reach_ids.state")
    def _compute_reach_figures(self):
        # with the reader's rights: an account manager counts the lines of their villages
        counts = {}
        for notice, state, count in self.env["village.outage.reach"]._read_group(
            [("notice_id", "in", self.ids)], ["notice_id", "state"], ["__count"]
        ):
            counts.setdefault(notice, {})[state] = count
        for notice in self:
            by_state = counts.get(notice, {})
            total = sum(by_state.values())
            notice.reach_count = total
            notice.unreached_count = by_state.get("pending", 0)
            notice.reach_rate = by_state.get("reached", 0) / total if total else 0.0

    @api.constrains("station_id", "village_ids")
    def _check_villages_of_station(self):
        for notice in self:
            station = notice.station_id
            other = notice.sudo().village_ids.filtered(lambda v, station=station: v.village_station_id != station)[:1]
            if other:
                raise ValidationError(
                    self.env._(
                        "%(village)s is not served by %(station)s: a notice covers villages of its station.",
                        village=other.name,
                        station=notice.station_id.name,
                    )
                )

    @api.constrains("station_id", "transformer_area_ids")
    def _check_areas_of_station(self):
        for notice in self:
            other = notice.sudo().transformer_area_ids.filtered(lambda a, n=notice: a.station_id != n.station_id)[:1]
            if other:
                raise ValidationError(
                    self.env._(
                        "%(area)s is not of %(station)s: a notice covers transformer areas of its station.",
                        area=other.display_name,
                        station=notice.station_id.name,
                    )
                )

    @api.constrains("kind", "restored_from_id", "station_id")
    def _check_restored_from(self):
        for notice in self.filtered("restored_from_id"):
            if notice.kind != "restored" or notice.restored_from_id.station_id != notice.station_id:
                raise ValidationError(
                    self.env._(
                        "%(notice)s: only a restoration notice follows an earlier notice, of the same station.",
                        notice=notice.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        notices = super(VillageOutageNotice, self._village_check_create(vals_list)).create(vals_list)
        notices.sudo().village_ids._village_check_linkable_by(notices)
        return notices

    def write(self, vals):
        self._village_check_client_vals(vals)
        result = super().write(vals)
        if "village_ids" in vals and not self.env.su:
            self.sudo().village_ids._village_check_linkable_by(self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_notified(self):
        if any(notice.state == "notified" for notice in self):
            raise UserError(self.env._("A notified outage notice is kept: its households were reached."))

    # ------------------------------------------------------------------
    # Notify
    # ------------------------------------------------------------------
    def action_notify(self):
        """Prepare one WeChat text per customer-service group of the villages
        (posted by the job where the group has a WeCom robot), and one reach
        line per qualifying household. Notifying again adds only what is
        missing (villages added since)."""
        if not self.env.user.has_group("village_service.group_village_station"):
            raise AccessError(self.env._("Only station heads and the bureau notify outage notices."))
        self.check_access("write")
        for notice in self:
            if not (notice.village_ids or notice.sudo().transformer_area_ids or notice.restored_from_id):
                raise UserError(
                    self.env._("Choose the villages or transformer areas of %(notice)s first.", notice=notice.name)
                )
        self.filtered(lambda n: n.state == "draft")._village_workflow_write(
            {"state": "notified", "date_notified": fields.Datetime.now()}
        )
        for notice in self.sudo():
            notice._prepare_posts()
            notice._prepare_reach()
        cron = self.env.ref("village_service.ir_cron_village_outage_post", raise_if_not_found=False)
        if cron and self.sudo().post_ids.filtered(lambda p: p.state == "pending"):
            cron.sudo()._trigger()
        return True

    def _villages(self):
        self.ensure_one()
        own = self.village_ids | self.sudo().transformer_area_ids.village_ids
        return own or self.restored_from_id._villages()

    def _prepare_posts(self):
        """One post line per WeChat group of the villages (superuser, after the checks)."""
        self.ensure_one()
        groups = self.env["village.chat.group"].search([("village_ids", "in", self._villages().ids)])
        done = self.post_ids.chat_group_id
        self.env["village.outage.post"].create(
            [
                {
                    "notice_id": self.id,
                    "chat_group_id": group.id,
                    "text": self._post_text(group),
                    "state": "pending" if group.wecom_webhook_url else "manual",
                }
                for group in groups - done
            ]
        )

    def _post_lang(self):
        langs = self.env["res.lang"].get_installed()
        if any(code == "zh_CN" for code, _name in langs):
            return "zh_CN"
        return self.station_id.company_id.partner_id.lang or self.env.lang or "en_US"

    def _post_text(self, group):
        """The text of the notice for `group`, in Chinese when installed."""
        self.ensure_one()
        notice = self.with_context(lang=self._post_lang())
        env = notice.env
        kinds = dict(notice._fields["kind"]._description_selection(env))
        villages = "、".join(group.village_ids.filtered(lambda v: v in self._villages()).mapped("name"))
        Area = self.env["village.service.area"]
        values = {
            "group": group.name,
            "kind": kinds[self.kind],
            "villages": villages,
            "start": Area._moment_shown(self.date_start),
            "reason": self.reason or "",
        }
        if self.kind == "restored":
            text = env._(
                "**%(group)s**: %(kind)s\nVillages: %(villages)s\nPower is back from %(start)s.\n%(reason)s", **values
            )
        else:
            end = Area._moment_shown(self.date_end) if self.date_end else env._("until further notice")
            text = env._(
                "**%(group)s**: %(kind)s\nVillages: %(villages)s\nFrom %(start)s to %(end)s.\nReason: %(reason)s",
                end=end,
                **values,
            )
        return text.strip()

    @api.model
    def _qualifying_households_domain(self, villages):
        """Households of `villages` that the WeChat groups do not reach: no
        smartphone, or carrying the care tags an active household inquiry
        rule selects (any one of them, or all, as the rule says)."""
        rules = self.env["village.inquiry.rule"].sudo().search([("target", "=", "household")])
        cared = Domain.OR(Domain(rule._care_tag_domain()) for rule in rules.filtered("care_tag_ids"))
        domain = [
            ("village_kind", "=", False),
            ("village_id", "in", villages.ids),
            ("parent_id", "=", False),
            # a village's contact person is the committee, not a household
            ("village_contact_village_ids", "=", False),
        ]
        return Domain(domain) & (Domain("village_has_smartphone", "=", False) | cared)

    def _prepare_reach(self):
        """One reach line per qualifying household (superuser, after the
        checks); a restoration reaches the households of its outage."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        households = self.restored_from_id.reach_ids.partner_id
        if self.village_ids:
            households |= Partner.search(self._qualifying_households_domain(self.village_ids))
        if areas := self.transformer_area_ids:
            on_areas = Domain("transformer_area_id", "in", areas.ids)
            households |= Partner.search(self._qualifying_households_domain(areas.village_ids) & on_areas)
        households -= self.reach_ids.partner_id
        if not households:
            return
        households.fetch(["village_id", "phone", "child_ids"])
        area = self.env["village.service.area"]
        today = area._today()
        deadline = max(today, area._local_day(self.date_start) - timedelta(days=1))
        reaches = self.env["village.outage.reach"].create(
            [
                {
                    "notice_id": self.id,
                    "partner_id": household.id,
                    "village_id": household.village_id.id,
                    "user_id": household.village_id.village_manager_id.id,
                    "channel": "phone" if household._village_phones() else "visit",
                }
                for household in households
            ]
        )
        call = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("village.outage.reach")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": reach.id,
                    "activity_type_id": call.id,
                    "summary": self.env._(
                        "Tell %(household)s: %(notice)s", household=reach.partner_id.name, notice=self.name
                    ),
                    "date_deadline": deadline,
                    "user_id": reach.user_id.id or self.station_id.user_id.id or self.env.uid,
                }
                for reach in reaches
            ]
        )

    @api.model
    def _unreached_domain(self, stations=None):
        """Reach lines still pending of the notified notices (of `stations`)
        that have not started yet: the dashboard, the work list."""
        domain = [
            ("notice_id.state", "=", "notified"),
            ("notice_id.date_start", ">", fields.Datetime.now()),
            ("state", "=", "pending"),
        ]
        return domain if stations is None else [("station_id", "in", stations.ids), *domain]


class VillageOutagePost(models.Model):
    """The text of a notice for one customer-service WeChat group, to copy on
    a phone, or posted by the job to the group's WeCom robot."""

    _name = "village.outage.post"
    _description = "Outage Notice WeChat Text"
    _order = "notice_id desc, id"

    notice_id = fields.Many2one("village.outage.notice", required=True, index=True, ondelete="cascade", readonly=True)
    station_id = fields.Many2one(related="notice_id.station_id", store=True, index=True, precompute=True)
    chat_group_id = fields.Many2one("village.chat.group", string="WeChat Group", required=True, readonly=True)
    text = fields.Text(readonly=True)
    state = fields.Selection(
        [("pending", "To Post"), ("posted", "Posted"), ("failed", "Failed"), ("manual", "Copy by Hand")],
        required=True,
        readonly=True,
        default="manual",
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Char(string="Last Error", readonly=True)
    date_posted = fields.Datetime(string="Posted on", readonly=True)

    _notice_group_uniq = models.UniqueIndex("(notice_id, chat_group_id)")

    def _post_webhook(self):
        """POST the text to the group's WeCom robot; raise on any failure."""
        self.ensure_one()
        url = self.chat_group_id.wecom_webhook_url
        response = requests.post(
            url, json={"msgtype": "markdown", "markdown": {"content": self.text}}, timeout=WEBHOOK_TIMEOUT
        )
        if not 200 <= response.status_code < 300:
            raise ValueError(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if answer.get("errcode", 0) != 0:
            raise ValueError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")

    @api.model
    def _cron_post_outage_texts(self):
        """Post the pending texts to their groups' robots, one committed line
        at a time; a failure leaves the line pending for the next run, and
        never touches the notice."""
        pending = self.search([("state", "=", "pending")], order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(pending))
        for post in pending:
            try:
                post._post_webhook()
            except Exception as error:  # any network or answer error: retried by the next run
                _logger.warning("Outage text %s to %s not posted: %s", post.id, post.chat_group_id.name, error)
                attempts = post.attempts + 1
                post.write(
                    {
                        "attempts": attempts,
                        "last_error": str(error)[:200],
                        "state": "failed" if attempts >= WEBHOOK_MAX_ATTEMPTS else "pending",
                    }
                )
            else:
                post.write({"attempts": post.attempts + 1, "state": "posted", "date_posted": fields.Datetime.now()})
            if not cron._commit_progress(1):
                break


class VillageOutageReach(models.Model):
    """A household to tell about an outage, by phone, visit or through the
    village committee, before it starts."""

    _name = "village.outage.reach"
    _description = "Outage Notice Household to Reach"
    _inherit = ["village.link.guard", "mail.thread", "mail.activity.mixin"]
    _order = "notice_id desc, village_id, partner_id"
    # set by Notify (the notice, household, village and manager), then
    # pending -> reached / unreachable: action_reached / action_unreachable only
    _village_workflow_fields = (
        "notice_id",
        "partner_id",
        "village_id",
        "user_id",
        "state",
        "reached_by_id",
        "date_reached",
    )

    notice_id = fields.Many2one("village.outage.notice", required=True, index=True, ondelete="cascade", readonly=True)
    station_id = fields.Many2one(related="notice_id.station_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one("res.partner", string="Household", required=True, index=True, readonly=True)
    village_id = fields.Many2one("res.partner", string="Village", required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Account Manager", index=True, readonly=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("committee", "Village Committee")], required=True, default="phone"
    )
    state = fields.Selection(
        [("pending", "To Reach"), ("reached", "Reached"), ("unreachable", "Unreachable")],
        required=True,
        readonly=True,
        default="pending",
        index=True,
        tracking=True,
    )
    reached_by_id = fields.Many2one("res.users", string="Reached by", readonly=True)
    date_reached = fields.Datetime(string="Reached on", readonly=True)
    phone = fields.Char(related="partner_id.phone", string="Phone")
    relative_ids = fields.One2many(related="partner_id.child_ids", string="Relatives to Call")

    _notice_partner_uniq = models.UniqueIndex("(notice_id, partner_id)")

    @api.depends("partner_id", "notice_id")
    def _compute_display_name(self):
        for reach in self:
            reach.display_name = f"{reach.partner_id.name} · {reach.notice_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        return super(VillageOutageReach, self._village_check_create(vals_list)).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)

    def _mark(self, state):
        if any(reach.state != "pending" for reach in self):
            raise UserError(self.env._("Only a household still to reach can be marked."))
        self._village_workflow_write(
            {"state": state, "reached_by_id": self.env.uid, "date_reached": fields.Datetime.now()}
        )
        feedback = dict(self._fields["state"]._description_selection(self.env))[state]
        self.sudo().activity_ids.action_feedback(feedback=feedback)
        return True

    def action_reached(self):
        return self._mark("reached")

    def action_unreachable(self):
        return self._mark("unreachable")
