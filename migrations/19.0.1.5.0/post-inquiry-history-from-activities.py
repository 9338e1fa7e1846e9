"""19.0.1.5.0: the inquiry status table (village.inquiry.state) is gone; the
inquiries are read from their activities (village.inquiry, a read-only view),
done ones archived with their done date and outcome. Its completion counters
are moved here: for each household or village and rule, the completions the
table counted but whose archived activity no longer exists (deleted by hand)
become archived activities again, dated the last completion and marked as
carried over, so the counts, the on-time counts and the last outcome stay
what the station reported. Then the table and its record rules are dropped
(the update deletes the model but leaves a table it no longer knows)."""

import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, plaintext2html

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT to_regclass('village_inquiry_state') IS NOT NULL"))
    if not cr.fetchone()[0]:
        return
    cr.execute(
        SQL(
            """
            SELECT s.rule_id, s.partner_id, s.user_id, s.done_count, s.on_time_count, s.last_done,
                   s.last_deadline, s.last_outcome, s.last_note,
                   count(a.id) AS kept,
                   count(a.id) FILTER (WHERE a.date_done <= a.date_deadline) AS kept_on_time
              FROM village_inquiry_state s
         LEFT JOIN mail_activity a ON a.inquiry_rule_id = s.rule_id AND a.res_model = 'res.partner'
                                  AND a.res_id = s.partner_id AND NOT a.active
             WHERE s.done_count > 0 AND s.last_done IS NOT NULL
          GROUP BY s.id
            HAVING count(a.id) < s.done_count
            """
        )
    )
    missing = cr.dictfetchall()
    if missing:
        _carry_over(cr, missing)
    cr.execute(
        SQL(
            """DELETE FROM ir_rule r USING ir_model_data d
                WHERE d.model = 'ir.rule' AND d.res_id = r.id AND d.module = 'village_service'
                  AND d.name LIKE 'village\\_inquiry\\_state\\_rule\\_%%'"""
        )
    )
    # the rules are noupdate data: the update would leave their external ids
    cr.execute(
        SQL(
            """DELETE FROM ir_model_data WHERE module = 'village_service' AND model = 'ir.rule'
                 AND name LIKE 'village\\_inquiry\\_state\\_rule\\_%%'"""
        )
    )
    cr.execute(SQL("DROP TABLE village_inquiry_state"))


def _carry_over(cr, missing):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False, "mail_activity_quick_update": True})
    model_id = env["ir.model"]._get_id("res.partner")
    rules = env["village.inquiry.rule"]
    vals_list, dates = [], []
    for row in missing:
        rule = rules.browse(row["rule_id"])
        if not rule.exists():
            continue
        count = row["done_count"] - row["kept"]
        on_time = max(min(row["on_time_count"] - row["kept_on_time"], count), 0)
        done = row["last_done"]
        for index in range(count):
            is_on_time = index < on_time
            latest = index == count - 1
            deadline = row["last_deadline"] or done
            deadline = max(deadline, done) if is_on_time else min(deadline, done - timedelta(days=1))
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": row["partner_id"],
                    "activity_type_id": rule.activity_type_id.id,
                    "inquiry_rule_id": rule.id,
                    "user_id": row["user_id"] or SUPERUSER_ID,
                    "summary": env._("%(rule)s (carried over from the inquiry counters)", rule=rule.name),
                    "note": plaintext2html(env._("Counted as done before 19.0.1.5.0; its activity was deleted.")),
                    "date_deadline": deadline,
                    "automated": True,
                    # the last outcome belongs to the latest completion
                    "village_inquiry_outcome": row["last_outcome"] if latest else False,
                    "village_inquiry_note": row["last_note"] if latest else False,
                }
            )
            dates.append(done)
    activities = env["mail.activity"].create(vals_list)
    activities.action_archive()
    for activity, done in zip(activities, dates, strict=True):
        activity.date_done = done
    _logger.info("inquiry history: %s completions carried over as archived activities", len(activities))
