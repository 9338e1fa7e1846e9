from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class VillageAgreementBulkCreate(models.TransientModel):
    """The signing campaign: one draft agreement for every selected village
    or community that has no draft or active agreement yet."""

    _name = "village.agreement.bulk.create"
    _description = "Draft Service-Point Agreements in Bulk"

    village_ids = fields.Many2many(
        "res.partner",
        string="Villages",
        domain="[('village_kind', 'in', ('village', 'community'))]",
        default=lambda self: self._default_village_ids(),
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=lambda self: self.env["village.service.area"]._today(),
    )
    term_years = fields.Integer(string="Term (years)", default=3, help="0 for open-ended agreements.")
    service_ids = fields.Many2many(
        "village.agreement.service",
        string="Services",
        default=lambda self: self.env["village.agreement.service"].search([("is_default", "=", True)]),
    )
    village_count = fields.Integer(string="Agreements to Draft", compute="_compute_village_count")

    @api.model
    def _default_village_ids(self):
        ctx = self.env.context
        Partner = self.env["res.partner"]
        if ctx.get("active_model") == "res.partner" and ctx.get("active_ids"):
            return Partner.browse(ctx["active_ids"])._village_without_agreement()
        # opened from the menu: propose every village of the campaign still to sign
        return Partner.search([("village_kind", "in", ("village", "community"))])._village_without_agreement()

    @api.depends("village_ids")
    def _compute_village_count(self):
        for wizard in self:
            wizard.village_count = len(wizard.village_ids._village_without_agreement())

    def action_create(self):
        self.ensure_one()
        if self.term_years < 0:
            raise UserError(self.env._("The term cannot be negative."))
        villages = self.village_ids._village_without_agreement()
        if not villages:
            raise UserError(
                self.env._("Every selected village already has a draft or active agreement: nothing to draft.")
            )
        date_end = self.date_start + relativedelta(years=self.term_years, days=-1) if self.term_years else False
        agreements = self.env["village.agreement"].create(
            [
                {
                    "village_id": village.id,
                    "date_start": self.date_start,
                    "date_end": date_end,
                    "service_ids": [fields.Command.set(self.service_ids.ids)],
                    "service_point_address": village.street or False,
                }
                for village in villages
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Drafted Agreements"),
            "res_model": "village.agreement",
            "view_mode": "list,form",
            "domain": [("id", "in", agreements.ids)],
        }
