"""The demo county, generated from compact data: the Xishui (习水) county power
supply bureau of the source practice, at its real scale. The XML files hold the
few records the tests, tours and screenshots name; this module adds the rest of
the county when the module is installed with its demo data (never on an
upgrade: a database has its own history then).

Figures of the source practice kept here: 241 village committees and
communities, each with a service-point agreement signed within a 10-day
campaign; 75 account managers running 389 customer-service WeChat groups,
through which 92 problems were collected; Tucheng station's ledger at 75
collected and 69 rectified on 9 April; a courtyard meeting at Huarun community
on 10 April. Dates are relative to the install day (DEMO_DAY_APRIL_9 days
before it stands for 9 April), keeping the source's intervals.

Station and township names are the public geography of Xishui county; the
villages of Wenshui are its real ones, the others are made-up names built from
common place-name parts. People (staff, contacts) have invented names."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from passlib.hash import pbkdf2_sha512

from odoo import Command, api, fields, models
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

# The day standing for the source's 9 April, in days before the install day;
# 10 April (the Huarun courtyard meeting) is the day after it.
DEMO_DAY_APRIL_9 = 4
# The signing campaign: its first day, in days before 9 April, and the
# agreements signed on each of its 10 days (241 in all).
DEMO_CAMPAIGN_START = 49
DEMO_CAMPAIGN_DAILY = (12, 18, 25, 28, 30, 32, 30, 26, 22, 18)
DEMO_CHAT_GROUPS = 389
DEMO_PASSWORD_ROUNDS = 1000
DEMO_WECHAT_PROBLEMS = 92

# The county: station key, station name, account managers, townships
# (key, name, village committees, communities, real names of villages and
# communities when public geography gives them: communities first).
DEMO_STATIONS = (
    ("tucheng", "土城供电所", 8, (("tucheng", "土城镇", 22, 2, ()),)),
    (
        "donghuang",
        "东皇供电所",
        12,
        (
            ("donghuang", "东皇街道", 4, 8, ()),
            ("jiulong", "九龙街道", 5, 5, ()),
            ("shanwang", "杉王街道", 5, 4, ()),
            ("malin", "马临街道", 6, 3, ()),
        ),
    ),
    (
        "wenshui",
        "温水供电所",
        7,
        (
            (
                "wenshui",
                "温水镇",
                12,
                3,
                (
                    "文昌社区",
                    "和平社区",
                    "五星社区",
                    "大水村",
                    "下坝村",
                    "典足坝村",
                    "星文村",
                    "群英村",
                    "沙坝村",
                    "梨园村",
                    "罗汉村",
                    "娄底村",
                    "桥头村",
                    "目里村",
                    "炉村村",
                ),
            ),
            ("xianyuan", "仙源镇", 7, 1, ()),
        ),
    ),
    ("xijiu", "习酒供电所", 6, (("xijiu", "习酒镇", 17, 3, ()),)),
    ("liangcun", "良村供电所", 7, (("liangcun", "良村镇", 20, 2, ()),)),
    ("guandian", "官店供电所", 5, (("guandian", "官店镇", 15, 1, ()),)),
    ("xingmin", "醒民供电所", 7, (("xingmin", "醒民镇", 11, 1, ()), ("longxing", "隆兴镇", 9, 1, ()))),
    ("tongmin", "同民供电所", 7, (("tongmin", "同民镇", 12, 1, ()), ("erli", "二里镇", 7, 1, ()))),
    ("yongan", "永安供电所", 7, (("yongan", "永安镇", 11, 1, ()), ("huilong", "回龙镇", 9, 1, ()))),
    ("sanchahe", "三岔河供电所", 4, (("sanchahe", "三岔河镇", 7, 1, ()), ("dapo", "大坡镇", 6, 1, ()))),
    ("sangmu", "桑木供电所", 5, (("sangmu", "桑木镇", 7, 1, ()), ("zhaiba", "寨坝镇", 7, 1, ()))),
)

# Made-up village names: a first part and a second part of common place names
NAME_HEADS = (
    "青杠 石笋 高坪 长嘴 白岩 凤凰 龙井 太平 金竹 水口 三元 双河 杨柳 茶园 桂花 柏杨 马鞍 新民 中坝 红岩".split()
)
NAME_TAILS = "坡 湾 坪 沟 堡 寨 林 河 山 田 桥 营".split()
# Invented people: family and given names combined
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 罗 袁 田 穆 邓 冯".split()
GIVEN_NAMES = (
    "明华 红梅 建国 小兰 晓东 春燕 永江 德富 海涛 丽娟 军 勇 雪 芳 磊 婷 "
    "平 强 燕 志刚 文静 国庆 玉兰 光明 秀英 家兴 思远 成林 云 桂芳"
).split()


def _short(name):
    """红旗村委会 → 红旗村: how villagers name their village's group."""
    return name.removesuffix("委会")


class VillageDemo(models.AbstractModel):
    """Demo data of the addon, kept out of the production models: the county
    (stations, villages, staff, WeChat groups), the ledgers, the signing
    campaign and an outage notice, called from the demo XML files."""

    _name = "village.demo"
    _description = "Demo Data Generator"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _installing(self):
        module = self.env["ir.module.module"].search([("name", "=", "village_service")])
        return module.state == "to install"

    @api.model
    def _april_9(self):
        """The day standing for the source's 9 April."""
        return self.env["village.service.area"]._today() - timedelta(days=DEMO_DAY_APRIL_9)

    @api.model
    def _campaign_days(self):
        start = self._april_9() - timedelta(days=DEMO_CAMPAIGN_START)
        return [start + timedelta(days=n) for n in range(len(DEMO_CAMPAIGN_DAILY))]

    @api.model
    def _ref(self, name):
        return self.env.ref(f"village_service.{name}", raise_if_not_found=False)

    @api.model
    def _name_xmlids(self, records_by_name):
        """Give generated records their XML ids (noupdate: kept by upgrades,
        removed with the module)."""
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"village_service.{name}", "record": record, "noupdate": True}
                for name, record in records_by_name.items()
            ]
        )

    @api.model
    def _person_names(self):
        """Invented names, never twice the same."""
        for n in range(len(SURNAMES) * len(GIVEN_NAMES)):
            yield SURNAMES[n % len(SURNAMES)] + GIVEN_NAMES[(n * 7 + n // len(SURNAMES)) % len(GIVEN_NAMES)]

    # ------------------------------------------------------------------
    # The county
    # ------------------------------------------------------------------

    @api.model
    def _demo_county(self):
        """Stations, station heads, account managers, townships, villages and
        communities with their contacts, and the WeChat groups of the county
        (the records the XML files do not name)."""
        if not self._installing():
            return
        # the database's company is the bureau (its name heads the screens and the PDFs)
        self.env.company.name = self.env.ref("village_service.team_bureau_demo").name
        self._demo_staff_and_stations()
        self._demo_villages()
        self._demo_chat_groups()

    @api.model
    def _demo_staff_and_stations(self):
        """One head per station and its account managers, the stations and
        their townships."""
        user_group = self.env.ref("village_service.group_village_user")
        station_group = self.env.ref("village_service.group_village_station")
        names = self._person_names()
        user_vals, user_keys = [], []
        for key, _station, managers, _townships in DEMO_STATIONS:
            wanted = [(f"user_head_{key}_demo", f"head.{key}", station_group)] + [
                (f"user_manager_{key}{n}_demo", f"manager.{key}{n}", user_group) for n in range(1, managers + 1)
            ]
            for xmlid, login, group in wanted:
                if self._ref(xmlid):
                    continue
                user_keys.append(xmlid)
                user_vals.append(
                    {
                        "name": next(names),
                        "login": login,
                        "email": f"{login}@example.com",
                        "tz": "Asia/Shanghai",
                        "lang": "zh_CN",
                        "group_ids": [Command.link(group.id)],
                    }
                )
        users = self.env["res.users"].with_context(no_reset_password=True).create(user_vals)
        # each one's password is its login, as for the users of the XML files;
        # hashed with few rounds: 600,000 rounds (Odoo's default) for some 70
        # users would take most of the demo's install time, for passwords
        # that are public anyway
        demo_hash = pbkdf2_sha512.using(rounds=DEMO_PASSWORD_ROUNDS)
        for user in users:
            users._set_encrypted_password(user.id, demo_hash.hash(user.login))
        self._name_xmlids(dict(zip(user_keys, users, strict=True)))

        bureau = self._ref("team_bureau_demo")
        Partner = self.env["res.partner"]
        xmlids = {}
        for key, station_name, _managers, townships in DEMO_STATIONS:
            if not self._ref(f"team_station_{key}_demo"):
                xmlids[f"team_station_{key}_demo"] = self.env["helpdesk.ticket.team"].create(
                    {"name": station_name, "parent_id": bureau.id, "is_station": True}
                )
            for town_key, town_name, *_counts in townships:
                if not self._ref(f"township_{town_key}_demo"):
                    xmlids[f"township_{town_key}_demo"] = Partner.create(
                        {"name": town_name, "lang": "zh_CN", "is_company": True, "village_kind": "township"}
                    )
        self._name_xmlids(xmlids)

        # team members: the head and the account managers
        for key, _station, managers, _townships in DEMO_STATIONS:
            head = self._ref(f"user_head_{key}_demo")
            staff = head | self.env["res.users"].concat(
                *(self._ref(f"user_manager_{key}{n}_demo") for n in range(1, managers + 1))
            )
            self._ref(f"team_station_{key}_demo").write(
                {"user_id": head.id, "user_ids": [Command.link(user.id) for user in staff]}
            )

    @api.model
    def _demo_villages(self):
        """The villages and communities of each township, up to the county's
        241, each with its full-time contact; each account manager a block of
        neighbouring villages."""
        Partner = self.env["res.partner"]
        stems = iter(NAME_HEADS[i] + NAME_TAILS[(i * 5 + j) % len(NAME_TAILS)] for j in range(12) for i in range(20))
        village_vals, village_keys = [], []
        for key, _station, managers, townships in DEMO_STATIONS:
            station = self._ref(f"team_station_{key}_demo")
            staff = [self._ref(f"user_manager_{key}{n}_demo") for n in range(1, managers + 1)]
            total = sum(v + c for _k, _n, v, c, _real in townships)
            index = len(station.village_ids)
            for town_key, _town_name, village_count, community_count, real in townships:
                township = self._ref(f"township_{town_key}_demo")
                existing = Partner.search(
                    [("village_parent_id", "=", township.id), ("village_kind", "in", ("village", "community"))]
                )
                kinds = ["community"] * community_count + ["village"] * village_count
                for village in existing:
                    kinds.remove(village.village_kind)
                real_names = [name for name in real if name not in existing.mapped("name")]
                for n, kind in enumerate(kinds, start=1):
                    if real_names:
                        name = real_names.pop(0)
                    else:
                        name = next(stems) + ("社区" if kind == "community" else "村委会")
                    village_keys.append(f"village_{town_key}_{n:02d}_demo")
                    village_vals.append(
                        {
                            "name": name,
                            "lang": "zh_CN",
                            "is_company": True,
                            "village_kind": kind,
                            "village_parent_id": township.id,
                            "village_station_id": station.id,
                            "village_manager_id": staff[index * len(staff) // total].id,
                            "village_household_count": (
                                900 + (index * 211) % 1400 if kind == "community" else 280 + (index * 137) % 520
                            ),
                        }
                    )
                    index += 1
        villages = Partner.create(village_vals)
        contacts = Partner.create(
            [
                {
                    "name": f"{_short(village.name)}专职联系人",
                    "lang": "zh_CN",
                    "village_parent_id": village.id,
                    "phone": f"+86 138 0001 {n:04d}",
                }
                for n, village in enumerate(villages, start=1)
            ]
        )
        for village, contact in zip(villages, contacts, strict=True):
            village.village_contact_id = contact
        self._name_xmlids(dict(zip(village_keys, villages, strict=True)))

    @api.model
    def _demo_chat_groups(self):
        """One WeChat group per village or community at least, a second one
        for the larger ones: 389 in all."""
        ChatGroup = self.env["village.chat.group"]
        villages = self.env["res.partner"].search([("village_kind", "in", ("village", "community"))], order="id")
        served = ChatGroup.search([]).village_ids
        group_vals = [
            self._chat_group_vals(village, _short(village.name) + "电力服务群", n)
            for n, village in enumerate(villages - served)
        ]
        extra = DEMO_CHAT_GROUPS - ChatGroup.search_count([]) - len(group_vals)
        larger = villages.sorted(lambda v: (-v.village_household_count, v.id))[:extra]
        group_vals += [
            self._chat_group_vals(village, _short(village.name) + "电力服务二群", n)
            for n, village in enumerate(larger, start=len(group_vals))
        ]
        ChatGroup.create(group_vals)

    @api.model
    def _chat_group_vals(self, village, name, n):
        return {
            "name": name,
            "village_ids": [Command.set(village.ids)],
            "manager_id": village.village_manager_id.id,
            "village_contact_id": village.village_contact_id.id,
            "member_count": 60 + (n * 53) % 420,
            "date_start": self._campaign_days()[n % len(DEMO_CAMPAIGN_DAILY)],
        }

    # ------------------------------------------------------------------
    # The signing campaign
    # ------------------------------------------------------------------

    @api.model
    def _demo_campaign(self):
        """Every village and community signs its service-point agreement
        within the 10 days of the campaign, the stations side by side; the
        campaign itself, 241 agreements in 10 days."""
        if not self._installing():
            return
        Agreement = self.env["village.agreement"]
        days = self._campaign_days()
        self._demo_agreement_history()
        by_station = [
            self.env["res.partner"].search(
                [("village_kind", "in", ("village", "community")), ("village_station_id", "=", station.id)],
                order="id",
            )
            for station in self.env["helpdesk.ticket.team"].search([("is_station", "=", True)], order="id")
        ]
        # the stations side by side: the first village of each, then the second...
        order = [v for rank in range(max(map(len, by_station))) for v in (s[rank] for s in by_station if rank < len(s))]
        sign_days = [day for day, count in zip(days, DEMO_CAMPAIGN_DAILY, strict=True) for _n in range(count)]
        # the agreements the XML files name are drafts until signed here
        drafts = Agreement.search([("state", "=", "draft"), ("village_id", "in", [v.id for v in order])])
        draft_of = {draft.village_id: draft for draft in drafts}
        new_vals = []
        for village, day in zip(order, sign_days, strict=False):
            vals = {
                "date_signed": day,
                "date_start": day,
                "date_end": day + relativedelta(years=3, days=-1),
                "state": "active",
            }
            if village in draft_of:
                draft_of[village].write(vals)
            else:
                new_vals.append({"village_id": village.id, **vals})
        Agreement.create(new_vals)
        campaign = self.env["village.agreement.campaign"].create(
            {
                "name": "服务点共建协议签约专项行动",
                "target_count": sum(DEMO_CAMPAIGN_DAILY),
                "date_start": days[0],
                "date_end": days[-1],
            }
        )
        self._name_xmlids({"agreement_campaign_demo": campaign})

    @api.model
    def _demo_agreement_history(self):
        """Agreements in force before the campaign: Tiancheng's expired two
        months ago, Qinglong's was terminated when its committee changed."""
        today = self.env["village.service.area"]._today()
        history = {
            "agreement_tiancheng_previous_demo": {
                "village_id": self._ref("village_tiancheng_demo").id,
                "village_signatory_id": self._ref("signatory_tiancheng_demo").id,
                "date_signed": today - relativedelta(years=3, days=61),
                "date_start": today - relativedelta(years=3, days=61),
                "date_end": today - relativedelta(days=62),
                "state": "expired",
            },
            "agreement_qinglong_previous_demo": {
                "village_id": self._ref("village_qinglong_demo").id,
                "village_signatory_id": self._ref("signatory_qinglong_demo").id,
                "date_signed": today - relativedelta(years=1, days=60),
                "date_start": today - relativedelta(years=1, days=60),
                "date_end": today + relativedelta(years=2, days=-61),
                "date_terminated": today - relativedelta(days=60),
                "termination_reason": "村委会换届，原专职联系人离任，待重新签订。",
                "state": "terminated",
            },
        }
        agreements = self.env["village.agreement"].create(list(history.values()))
        self._name_xmlids(dict(zip(history, agreements, strict=True)))

    # ------------------------------------------------------------------
    # The problem ledgers
    # ------------------------------------------------------------------

    @api.model
    def _demo_ledger(self, station_id, collected, rectified, wechat=0):
        """A station's ledger of the five weeks before 9 April (demo data):
        `collected` problems, `rectified` of them rectified by the end of that
        day, nine of those not yet closed out; every third of the first
        `wechat` rectified ones came in through the village's WeChat group."""
        if not self._installing():
            return
        station = self.env["helpdesk.ticket.team"].browse(station_id)
        april_9 = self._april_9()
        specs = []
        for n in range(collected):
            spec = {
                "day": april_9 - timedelta(days=38 - n // 2),
                "hour": 9 + n % 7,
                "rectified": 1 + n % 3 if n < rectified else None,
                "closed": 2 + n % 3 if n < rectified - 9 else None,
                "wechat": n % 3 == 0 and n // 3 < wechat,
            }
            specs.append(spec)
        self._demo_problems(station, specs)

    @api.model
    def _demo_wechat_problems(self, total=DEMO_WECHAT_PROBLEMS):
        """The problems collected through the WeChat groups at the other
        stations, up to `total` in the county: most closed out, a few
        rectified and waiting for the revisit, the newest planned."""
        if not self._installing():
            return
        wechat = self.env.ref("village_service.helpdesk_ticket_channel_wechat")
        Ticket = self.env["helpdesk.ticket"]
        missing = total - Ticket.search_count([("channel_id", "=", wechat.id), ("chat_group_id", "!=", False)])
        stations = self.env["helpdesk.ticket.team"].search(
            [("is_station", "=", True), ("ticket_ids", "=", False)], order="id"
        )
        if missing <= 0 or not stations:
            return
        april_9 = self._april_9()
        specs_of = {station: [] for station in stations}
        for n in range(missing):
            specs_of[stations[n % len(stations)]].append(
                {
                    "day": april_9 - timedelta(days=36 - n * 37 // missing),
                    "hour": 8 + n % 9,
                    "rectified": 1 + n % 3 if n < missing - 2 else None,
                    "closed": 2 + n % 3 if n < missing - 7 else None,
                    "wechat": True,
                }
            )
        for station, specs in specs_of.items():
            self._demo_problems(station, specs)

    @api.model
    def _demo_problems(self, station, specs):
        """Problems of a station, one per spec: collected on `day` at `hour`
        (local), planned two hours later, rectified and closed out the given
        number of days after (None: not yet), through the village's WeChat
        group when `wechat`."""
        Area = self.env["village.service.area"]
        Ticket = self.env["helpdesk.ticket"]
        wechat = self.env.ref("village_service.helpdesk_ticket_channel_wechat")
        villages = station.village_ids.sorted("id")
        groups = self.env["village.chat.group"].search([("village_ids", "in", villages.ids)], order="id")
        group_of = {}
        for group in groups:
            for village in group.village_ids:
                group_of.setdefault(village, group)
        head = station.user_id or self.env.user
        vals_list = []
        for n, spec in enumerate(specs):
            village = villages[(n * 7) % len(villages)]
            vals = {
                "name": DEMO_PROBLEMS[n % len(DEMO_PROBLEMS)],
                "description": DEMO_PROBLEMS[n % len(DEMO_PROBLEMS)],
                "team_id": station.id,
                "village_id": village.id,
                "partner_id": village.id,
                "user_id": village.village_manager_id.id,
            }
            if spec["wechat"] and group_of.get(village):
                vals.update(channel_id=wechat.id, chat_group_id=group_of[village].id)
            vals_list.append(vals)
        tickets = Ticket.create(vals_list)
        created = [Area._day_start(spec["day"]) + timedelta(hours=spec["hour"]) for spec in specs]
        # create_date is a log field the ORM never writes: the demo back-dates it
        self.env.execute_query(
            SQL(
                """
                UPDATE helpdesk_ticket t SET create_date = v.created
                  FROM unnest(%s::int[], %s::timestamp[]) AS v(id, created)
                 WHERE t.id = v.id
                """,
                tickets.ids,
                created,
            )
        )
        tickets.invalidate_recordset(["create_date"])
        stage_done = station._get_applicable_stages().filtered("closed")[:1]
        for n, (ticket, spec, when) in enumerate(zip(tickets, specs, created, strict=True)):
            vals = {
                "rectification_measure": DEMO_MEASURES[n % len(DEMO_MEASURES)],
                "rectification_deadline": (when + timedelta(days=5)).date(),
                # planned when it was, not when the demo loads
                "closeout_state": "planned",
                "date_planned": when + timedelta(hours=2),
            }
            if spec["rectified"] is not None:
                vals.update(
                    closeout_state="rectified",
                    date_rectified=when + timedelta(days=spec["rectified"]),
                    rectified_by_id=ticket.user_id.id or head.id,
                )
            if spec["closed"] is not None:
                vals.update(
                    closeout_state="closed",
                    closeout_satisfaction="satisfied",
                    date_closeout=when + timedelta(days=spec["closed"]),
                    closeout_by_id=head.id,
                    stage_id=stage_done.id,
                )
            ticket.write(vals)

    @api.model
    def _demo_statistics(self):
        """The daily statistics of every station from the first problem to
        today, as the daily job would have written them."""
        if not self._installing():
            return
        Stat = self.env["village.daily.stat"]
        stations = self.env["helpdesk.ticket.team"].search([("is_station", "=", True)])
        today = self.env["village.service.area"]._today()
        first = self.env["helpdesk.ticket"].search([("team_id", "in", stations.ids)], order="create_date", limit=1)
        if not first:
            return
        start = fields.Datetime.context_timestamp(
            first.with_context(tz=self.env["village.service.area"]._tz()), first.create_date
        ).date()
        for days_ago in range((today - start).days + 1, -1, -1):
            Stat._snapshot(today - timedelta(days=days_ago), stations)

    # ------------------------------------------------------------------
    # The outage notice
    # ------------------------------------------------------------------

    @api.model
    def _demo_outage(self, station_id):
        """A planned outage of the station's villages with households to reach,
        the day after tomorrow, notified by the station head, half of its
        households reached (demo data). Only when the demo is installed: on an upgrade the
        database has its own history."""
        station = self.env["helpdesk.ticket.team"].browse(station_id)
        Notice = self.env["village.outage.notice"]
        if not self._installing() or Notice.search_count([("station_id", "=", station.id)]):
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
