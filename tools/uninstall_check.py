"""Uninstalling village_service leaves helpdesk and CRM working: run on a
database where the module is installed (its data is lost, so only on a test
database). Usage: python tools/uninstall_check.py CONFIG DATABASE"""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def main(conf, db):
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].search([("name", "=", "village_service")]).button_immediate_uninstall()
    with Registry.new(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "village_service")])
        assert module.state == "uninstalled", module.state
        assert "village.meeting" not in env and "closeout_state" not in env["helpdesk.ticket"]._fields
        team = env["helpdesk.ticket.team"].create({"name": "After uninstall"})
        ticket = env["helpdesk.ticket"].create({"name": "Still works", "description": "x", "team_id": team.id})
        ticket.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        assert ticket.closed, "a ticket closes by stage again"
        lead = env["crm.lead"].create({"name": "Still works", "type": "opportunity"})
        assert lead.stage_id, "a lead gets a stage"
        cr.rollback()
    print("uninstall: OK (helpdesk and CRM work without village_service)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
