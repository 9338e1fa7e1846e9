"""19.0.1.2.0: the record rules of village partners and of the portal are
rewritten (noupdate data: dropped here, recreated from the XML by the update).

The close-out record is written in order (planned <= rectified
<= closed out), now a CHECK constraint. Before this release a measure written
with its deadline after the fact stamped `date_planned` with the time of the
write, so problems (the demo ledger's among them) read as planned after their
own rectification: they were planned when they were collected at the latest."""

from odoo.tools import SQL

REWRITTEN_RULES = (
    "res_partner_rule_village_user",
    "res_partner_rule_village_station",
    "res_partner_rule_village_manager",
    "helpdesk_ticket_rule_portal",
)


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE helpdesk_ticket
                  SET date_planned = LEAST(create_date, date_rectified)
                WHERE date_planned > date_rectified"""
        )
    )
    # record rules are noupdate data: the rules this release rewrites are
    # dropped here and recreated from security/village_service_security.xml
    cr.execute(
        SQL(
            """WITH gone AS (
                   DELETE FROM ir_model_data
                    WHERE module = 'village_service' AND model = 'ir.rule' AND name IN %s
                RETURNING res_id)
               DELETE FROM ir_rule WHERE id IN (SELECT res_id FROM gone)""",
            REWRITTEN_RULES,
        )
    )
