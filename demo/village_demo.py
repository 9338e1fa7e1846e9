from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Typical problems heard in villages and their measures (demo data, benchmark data).
# The demo county's ledger reads Chinese, as its users do.
DEMO_PROBLEMS = [
    "村道路灯不亮",
    "晚间电压偏低",
    "学校旁电杆倾斜",
    "树枝碰线",
    "抄表读数有争议",
    "未收到停电通知",
    "入户线松动",
    "变压器夜间异响",
]
DEMO_MEASURES = [
    "更换灯具和光控开关",
    "调整台区三相负荷平衡",
    "扶正电杆并加装拉线",
    "修剪线路沿线树木",
    "与客户现场核对电表",
    "将该户加入村停送电信息群",
    "紧固入户线并重新绝缘",
    "检查变压器并紧固金具",
]


class VillageDemo(models.AbstractModel):
    """Demo data of the addon, kept out of the production models: the ledger
    of a demo station, called from demo/helpdesk_ticket_demo.xml."""

    _name = "village.demo"
    _description = "Demo Data Generator"

    @api.model
    def _demo_ledger(self, station_id, collected, rectified):
        """A station's ledger of the past five weeks (demo data): all collected
        and rectified before last week ended, so last week's report and today's
        statistics show the same cumulative figures."""
        Ticket = self.env["helpdesk.ticket"]
        station = self.env["helpdesk.ticket.team"].browse(station_id)
        if Ticket.with_context(active_test=False).search_count([("team_id", "=", station.id)]):
            return  # demo files run again on every upgrade: the ledger is there already
        villages = station.village_ids
        head = station.user_id or self.env.user
        now = fields.Datetime.now()
        tickets = Ticket.create(
            [
                {
                    "name": DEMO_PROBLEMS[n % len(DEMO_PROBLEMS)],
                    "description": DEMO_PROBLEMS[n % len(DEMO_PROBLEMS)],
                    "team_id": station.id,
                    "village_id": villages[n % len(villages)].id,
                    "partner_id": villages[n % len(villages)].id,
                    "user_id": villages[n % len(villages)].village_manager_id.id,
                }
                for n in range(collected)
            ]
        )
        stage_done = station._get_applicable_stages().filtered("closed")[:1]
        for n, ticket in enumerate(tickets):
            created = now - timedelta(days=36 - n % 27, hours=n % 7)
            # create_date is a log field the ORM never writes: the demo back-dates it
            self.env.execute_query(SQL("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", created, ticket.id))
            ticket.invalidate_recordset(["create_date"])
            ticket.write(
                {
                    "rectification_measure": DEMO_MEASURES[n % len(DEMO_MEASURES)],
                    "rectification_deadline": (created + timedelta(days=5)).date(),
                    # planned when it was, not when the demo loads
                    "closeout_state": "planned",
                    "date_planned": created + timedelta(hours=2),
                }
            )
            if n < rectified:
                ticket.write(
                    {
                        "closeout_state": "rectified",
                        "date_rectified": created + timedelta(days=1 + n % 3),
                        "rectified_by_id": ticket.user_id.id or head.id,
                    }
                )
            if n < rectified - 9:
                ticket.write(
                    {
                        "closeout_state": "closed",
                        "closeout_satisfaction": "satisfied",
                        "date_closeout": created + timedelta(days=2 + n % 3),
                        "closeout_by_id": head.id,
                        "stage_id": stage_done.id,
                    }
                )
        Stat = self.env["village.daily.stat"]
        today = self.env["village.service.area"]._today()
        for days_ago in range(38, -1, -1):
            Stat._snapshot(today - timedelta(days=days_ago), station)

    @api.model
    def _demo_outage(self, station_id):
        """A planned outage of the station's villages with households to reach,
        the day after tomorrow, notified by the station head, half of its
        households reached (demo data). Only when the demo is installed: on an upgrade the
        database has its own history."""
        module = self.env["ir.module.module"].search([("name", "=", "village_service")])
        station = self.env["helpdesk.ticket.team"].browse(station_id)
        Notice = self.env["village.outage.notice"]
        if module.state != "to install" or Notice.search_count([("station_id", "=", station.id)]):
            return
        households = self.env["res.partner"].search(
            self.env["village.outage.notice"]._qualifying_households_domain(station.village_ids)
        )
        villages = households.village_id
        head = station.user_id
        if not villages or not head:
            return
        Area = self.env["village.service.area"]
        start = Area._day_start(Area._today() + timedelta(days=2)) + timedelta(hours=9)
        notice = Notice.with_user(head).create(
            {
                "kind": "planned",
                "station_id": station.id,
                "date_start": start,
                "date_end": start + timedelta(hours=7),
                "reason": "10千伏线路检修，更换老旧导线",
                "village_ids": [(6, 0, villages.ids)],
            }
        )
        notice.action_notify()
        lines = notice.sudo().reach_ids
        for line in lines[: len(lines) // 2]:
            line.with_user(line.user_id or head).action_reached()
