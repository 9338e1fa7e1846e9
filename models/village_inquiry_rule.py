import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class VillageInquiryRule(models.Model):
    """A cadence of the "three inquiries": which targets get which activity,
    how often. Configured as data, not coded."""

    _name = "village.inquiry.rule"
    _inherit = ["village.link.guard"]
    _description = "Inquiry Rule"
    _order = "sequence, id"

    # Targets handled per committed batch of the scheduler.
    _inquiry_batch_size = 500

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type", required=True)
    interval_number = fields.Integer(string="Every", required=True, default=1)
    interval_unit = fields.Selection(
        [("day", "Days"), ("week", "Weeks"), ("month", "Months")],
        string="Interval Unit",
        required=True,
        default="week",
    )
    target = fields.Selection(
        [("household", "Households"), ("village", "Villages and Communities")],
        required=True,
        default="household",
        help="Households: every household carrying one of the care tags. "
        "Villages: every village committee and community, once.",
    )
    care_tag_ids = fields.Many2many(
        "village.care.tag",
        string="Care Tags",
        help="Households carrying any (or all, see Match) of these tags are inquired.",
    )
    care_tag_match = fields.Selection(
        [("any", "Any of the tags"), ("all", "All of the tags")],
        string="Match",
        required=True,
        default="any",
        help="Whether a household is inquired when it carries any one of the care tags, or only all of them.",
    )
    scheduling = fields.Selection(
        [("cadence", "On its cadence"), ("chained", "When a call goes unanswered")],
        required=True,
        default="cadence",
        help="On its cadence: the daily job schedules it for every target. When a call goes unanswered: "
        "only scheduled by a rule whose call was not answered (the committee inquiry about a household).",
    )
    committee_rule_id = fields.Many2one(
        "village.inquiry.rule",
        string="On No Answer",
        domain="[('scheduling', '=', 'chained'), ('id', '!=', id)]",
        help="An unanswered inquiry of this rule schedules an inquiry of that rule about the same household "
        "(the committee inquiry), one open at a time.",
    )
    visit_rule_id = fields.Many2one(
        "village.inquiry.rule",
        string="Visit Rule",
        domain="[('target', '=', 'household'), ('id', '!=', id)]",
        help="The visit scheduled after the configured number of unanswered calls in a row, "
        "or when an inquiry of this rule finds a visit is needed.",
    )
    meeting_kind = fields.Selection(
        [
            ("courtyard", "Courtyard Meeting"),
            ("committee", "Committee Talk"),
            ("visit", "Door-to-door Visit"),
            ("phone", "Phone Inquiry"),
            ("education", "Safety / Legal Education"),
        ],
        string="Log Meeting",
        help="When an inquiry of this rule is marked done, log a done meeting of this kind "
        "with the feedback as its minutes.",
    )
    note = fields.Html(string="Instructions", translate=True, help="Copied into each scheduled activity.")
    inquiry_ids = fields.One2many("village.inquiry", "rule_id", string="Inquiries")

    @api.constrains("interval_number")
    def _check_interval_number(self):
        for rule in self:
            if rule.interval_number <= 0:
                raise ValidationError(
                    self.env._("The interval of the inquiry rule %(rule)s must be positive.", rule=rule.name)
                )

    @api.constrains("target", "care_tag_ids", "scheduling")
    def _check_care_tags(self):
        for rule in self:
            # a chained rule asks about the households its calling rule chose
            if rule.target == "household" and rule.scheduling == "cadence" and not rule.care_tag_ids:
                raise ValidationError(
                    self.env._(
                        "The inquiry rule %(rule)s targets households: choose the care tags of the "
                        "households to inquire.",
                        rule=rule.name,
                    )
                )

    # ------------------------------------------------------------------
    # Cadence
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        return super(VillageInquiryRule, self._village_check_create(vals_list)).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)

    def _get_interval(self):
        self.ensure_one()
        return relativedelta(**{f"{self.interval_unit}s": self.interval_number})

    def _get_target_domain(self):
        self.ensure_one()
        has_manager = [
            "|",
            ("village_id.village_manager_id", "!=", False),
            ("village_id.village_station_id.user_id", "!=", False),
        ]
        if self.target == "village":
            return [("village_kind", "in", ("village", "community")), *has_manager]
        return [("village_kind", "=", False), ("village_id", "!=", False), *self._care_tag_domain(), *has_manager]

    def _care_tag_domain(self):
        """The households this rule's care tags select: any one of them, or all."""
        self.ensure_one()
        if self.care_tag_match == "all":
            return [("care_tag_ids", "in", tag.id) for tag in self.care_tag_ids]
        return [("care_tag_ids", "in", self.care_tag_ids.ids)]

    @api.model
    def _cron_schedule_inquiries(self):
        """One open activity per active rule and target, due when the target
        is due (today the first time, then one interval after the last
        completion). Committed per batch: a rerun after a crash resumes where
        it stopped and duplicates nothing, as open activities are skipped."""
        work = self._inquiry_work()
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(work))
        size = self._inquiry_batch_size
        for start in range(0, len(work), size):
            batch = work[start : start + size]
            created = self._schedule_batch(batch)
            _logger.info("Inquiry scheduler: %s activities created for %s targets", created, len(batch))
            if not cron._commit_progress(len(batch), remaining=len(work) - start - len(batch)):
                break

    @api.model
    def _inquiry_work(self):
        """(rule, partner id) of every active rule and its targets, villages
        by account manager and households village by village: a batch then
        spans few managers, and the activities' follower subscriptions (a few
        queries per assignee) stay few."""
        work = []
        Partner = self.env["res.partner"].with_context(active_test=True)
        for rule in self.search([("scheduling", "=", "cadence")]):
            order = "village_manager_id, id" if rule.target == "village" else "village_id, id"
            partner_ids = Partner._search(rule._get_target_domain(), order=order)
            work.extend((rule, partner_id) for partner_id in partner_ids)
        return work

    @api.model
    def _village_demo_inquiries(self):
        """The demo county's first inquiries, as the daily job schedules them
        but within the install's transaction (the job commits per batch)."""
        self._schedule_batch(self._inquiry_work())

    @api.model
    def _village_contact_texts(self, rule, contact, lang, summary, note):
        localized = self.with_context(lang=lang).env
        name = contact.name or ""
        phone = contact.phone or ""
        summary = localized._("%(rule)s: %(contact)s %(phone)s", rule=summary, contact=name, phone=phone).strip()
        line = localized._("Village committee contact: %(contact)s %(phone)s", contact=name, phone=phone).strip()
        note = Markup("%s<p>%s</p>") % (note or Markup(""), line)
        return summary, note

    @api.model
    def _schedule_batch(self, batch, deadlines=None):
        """Create the missing activities of a batch of (rule, partner id)
        pairs; a fixed number of queries per batch. `deadlines` ((rule id,
        partner id): date) gives the due date of the inquiries a chain
        schedules."""
        deadlines = deadlines or {}
        by_rule = defaultdict(list)
        for rule, partner_id in batch:
            by_rule[rule].append(partner_id)
        partner_ids = {pid for _rule, pid in batch}
        rule_ids = [rule.id for rule in by_rule]
        open_pairs = {
            (activity.inquiry_rule_id.id, activity.res_id)
            for activity in self.env["mail.activity"].search_fetch(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list(partner_ids)),
                    ("inquiry_rule_id", "in", rule_ids),
                ],
                ["inquiry_rule_id", "res_id"],
            )
        }
        # the last completion of each target: the next inquiry falls due one
        # interval after it (the done activities are archived with their date)
        last_done = {
            (rule.id, res_id): date_done
            for rule, res_id, date_done in self.env["mail.activity"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list(partner_ids)),
                    ("inquiry_rule_id", "in", rule_ids),
                    ("active", "=", False),
                ],
                ["inquiry_rule_id", "res_id"],
                ["date_done:max"],
            )
        }
        partners = self.env["res.partner"].browse(partner_ids)
        partners.fetch(["village_id"])
        # the activities' document names, read for the batch at once (the
        # activity computes each on its own record: a query per target)
        partners.mapped("display_name")
        partners.village_id.fetch(["village_manager_id", "village_station_id", "village_contact_id"])
        partners.village_id.village_contact_id.fetch(["name", "phone"])
        partners.village_id.village_manager_id.mapped("lang")
        partners.village_id.village_station_id.user_id.mapped("lang")
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = self.env["village.service.area"]._today()
        texts = {}  # (rule, lang): (summary, note) in the assignee's language
        activity_vals = []
        for rule, pids in by_rule.items():
            for pid in pids:
                if (rule.id, pid) in open_pairs:
                    continue
                partner = self.env["res.partner"].browse(pid)
                village = partner.village_id
                user = village.village_manager_id or village.village_station_id.user_id
                done_on = last_done.get((rule.id, pid))
                deadline = deadlines.get((rule.id, pid)) or (done_on + rule._get_interval() if done_on else today)
                lang = user.lang or self.env.lang or "en_US"
                if (rule, lang) not in texts:
                    localized = rule.with_context(lang=lang)
                    texts[rule, lang] = (localized.name, localized.note)
                summary, note = texts[rule, lang]
                contact = village.village_contact_id if rule.scheduling == "chained" else False
                if contact:
                    # the committee inquiry names whom to ask
                    summary, note = self._village_contact_texts(rule, contact, lang, summary, note)
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": pid,
                        "activity_type_id": rule.activity_type_id.id,
                        "summary": summary,
                        "note": note,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "inquiry_rule_id": rule.id,
                        "automated": True,
                    }
                )
        if not activity_vals:
            return 0
        subscribed = self._village_subscribe_assignees(activity_vals)
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True, village_followers_added=subscribed)
            .create(activity_vals)
        )
        return len(activities)

    @api.model
    def _village_subscribe_assignees(self, activity_vals):
        """Make the assignee of each activity a follower of its target, as
        `mail.activity.create` does, for the whole batch at once: one read of
        the followers already there and one insert. (Odoo subscribes one
        assignee at a time, about 7 queries each: a batch's queries grew with
        its account managers.) The subscription is Odoo's: default subtypes of
        the model, the external ones for a partner who is not an employee,
        inactive partners and followers already there skipped. Returns the
        (target id, partner id) pairs followed, which
        `res.partner.message_subscribe` then skips during the create."""
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in activity_vals if vals.get("user_id")})
        partner_of = {user.id: user.partner_id for user in users}
        pairs = {
            (vals["res_id"], partner_of[vals["user_id"]].id)
            for vals in activity_vals
            if vals.get("user_id") and partner_of[vals["user_id"]].active
        }
        if not pairs:
            return frozenset()
        targets = self.env["res.partner"].browse({res_id for res_id, _pid in pairs})
        # as message_subscribe: the job may write the targets (it runs as the superuser)
        targets.check_access("write")
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (res_id, pid)
            for _fid, res_id, pid, _subtypes in Followers._get_subscription_data(
                [("res.partner", targets.ids)], list({pid for _res_id, pid in pairs})
            )
        }
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes("res.partner")
        me = self.env.user.partner_id
        partners = {partner.id: partner for partner in users.partner_id}
        Followers.create(
            [
                {
                    "res_model": "res.partner",
                    "res_id": res_id,
                    "partner_id": pid,
                    "subtype_ids": [
                        Command.set((external if partners[pid].partner_share and partners[pid] != me else default).ids)
                    ],
                }
                for res_id, pid in sorted(pairs - existing)
            ]
        )
        return frozenset(pairs)
