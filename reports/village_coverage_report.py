from odoo import fields, models
from odoo.tools import SQL


class VillageCoverageReport(models.Model):
    """One row per village or community: is it covered by an active
    customer-service WeChat group, by an active service-point agreement?
    Summed in a pivot, the rows give the coverage of each station and township."""

    _name = "village.coverage.report"
    _description = "Village Coverage Analysis"
    _auto = False
    _rec_name = "village_id"
    _order = "village_id"
    _depends = {
        "village.agreement": ["village_id", "state"],
        "village.chat.group": ["active", "village_ids"],
        "res.partner": [
            "active",
            "village_kind",
            "village_township_id",
            "village_station_id",
            "village_manager_id",
            "village_household_count",
        ],
    }

    village_id = fields.Many2one("res.partner", string="Village", readonly=True)
    village_kind = fields.Selection(
        [("village", "Village Committee"), ("community", "Community / Street Office")],
        string="Area Kind",
        readonly=True,
    )
    township_id = fields.Many2one("res.partner", string="Township", readonly=True)
    station_id = fields.Many2one("helpdesk.ticket.team", string="Power Supply Station", readonly=True)
    manager_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    village_count = fields.Integer(string="Villages", readonly=True, aggregator="sum")
    household_count = fields.Integer(
        string="Households",
        readonly=True,
        aggregator="sum",
        help="The households entered on the village or community; its village groups are a part of it, not added.",
    )
    chat_group_covered = fields.Integer(string="Villages with a WeChat Group", readonly=True, aggregator="sum")
    chat_group_coverage = fields.Float(string="WeChat Group Coverage (%)", readonly=True, aggregator="avg")
    agreement_covered = fields.Integer(string="Villages with an Active Agreement", readonly=True, aggregator="sum")
    agreement_coverage = fields.Float(string="Agreement Coverage (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT v.id AS id,
                   v.id AS village_id,
                   v.village_kind AS village_kind,
                   v.village_township_id AS township_id,
                   v.village_station_id AS station_id,
                   v.village_manager_id AS manager_id,
                   1 AS village_count,
                   -- the village's own count: one row per village, its groups
                   -- (which divide the same households) have no row
                   COALESCE(v.village_household_count, 0) AS household_count,
                   CASE WHEN cg.village_id IS NULL THEN 0 ELSE 1 END AS chat_group_covered,
                   CASE WHEN cg.village_id IS NULL THEN 0.0 ELSE 100.0 END AS chat_group_coverage,
                   CASE WHEN ag.village_id IS NULL THEN 0 ELSE 1 END AS agreement_covered,
                   CASE WHEN ag.village_id IS NULL THEN 0.0 ELSE 100.0 END AS agreement_coverage
              FROM res_partner v
         LEFT JOIN (SELECT DISTINCT rel.village_id
                      FROM village_chat_group_village_rel rel
                      JOIN village_chat_group g ON g.id = rel.chat_group_id AND g.active
                   ) cg ON cg.village_id = v.id
         LEFT JOIN (SELECT DISTINCT a.village_id
                      FROM village_agreement a
                     WHERE a.state = 'active'
                   ) ag ON ag.village_id = v.id
             WHERE v.village_kind IN ('village', 'community') AND v.active
            """
        )
