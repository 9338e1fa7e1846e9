"""19.0.1.4.0: the third of the three inquiries is no longer a monthly chore
per village but the inquiry with the village committee about a household
whose weekly call went unanswered. The shipped rule (noupdate data, xmlid
village_service.inquiry_rule_committee) is converted in place so its xmlid
keeps working: it targets households (no care tags: it asks about the
households its calling rule chose) and is only scheduled by the chain, and the weekly call points to it and to the
monthly visit. Its open per-village activities and their status rows are left
as they are (they can still be marked done); no new ones are scheduled."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    committee = env.ref("village_service.inquiry_rule_committee", raise_if_not_found=False)
    phone = env.ref("village_service.inquiry_rule_weekly_phone", raise_if_not_found=False)
    visit = env.ref("village_service.inquiry_rule_monthly_visit", raise_if_not_found=False)
    if not committee:
        return
    vals = {
        "target": "household",
        "scheduling": "chained",
        "meeting_kind": "committee",
        "visit_rule_id": visit.id if visit else False,
    }
    if committee.target == "village":
        # the shipped name and instructions describe the monthly chore: replaced
        # (a renamed rule keeps its own name)
        committee.with_context(lang="en_US").write(
            {
                "name": "Inquiry with the village committee about a household",
                "note": "<p>The household did not answer its call: ask the village committee how they are "
                "and whether they need anything.</p>",
            }
        )
        if env["res.lang"].search_count([("code", "=", "zh_CN"), ("active", "=", True)]):
            committee.with_context(lang="zh_CN").write(
                {
                    "name": "就农户询问村委会",
                    "note": "<p>农户未接听电话：向村委会了解其近况及是否需要帮助。</p>",
                }
            )
    committee.write(vals)
    if phone and not phone.committee_rule_id:
        phone.write({"committee_rule_id": committee.id, "visit_rule_id": visit.id if visit else False})
    _logger.info("Committee inquiry rule %s converted to a per-household chained inquiry", committee.id)
