"""Issue 17, point 4: the appointed contact of a village reads the notified
outage notices of that village on the portal (a list, a page per notice, an
entry on /my), with their moments in the service area's time; never a draft,
another village's notice, the households to reach, their phones or the
WeChat texts -- over HTTP and over JSON-RPC."""

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase

# 2030-05-05 06:30 UTC is 14:30 in the service area (Asia/Shanghai) and 08:30
# in Paris, the contact's own time zone
START = "2030-05-05 06:30:00"
END = "2030-05-05 10:00:00"
BACK = "2030-05-05 09:00:00"
# what the pages say of them (each moment kept on one line)
FROM_TO = 'From <span class="text-nowrap">2030-05-05 14:30</span> to <span class="text-nowrap">2030-05-05 18:00</span>'
BACK_FROM = 'Power is back from <span class="text-nowrap">2030-05-05 17:00</span>'
MUTED = ("odoo.http", "odoo.models", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")


class PortalOutageCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact_a1 = Partner.create({"name": "Test Contact A1", "email": "contact.a1@example.com"})
        cls.village_a1.village_contact_id = cls.contact_a1
        cls.contact_b1 = Partner.create({"name": "Test Contact B1", "email": "contact.b1@example.com"})
        cls.village_b1.village_contact_id = cls.contact_b1
        cls.villager_a1 = Partner.create(
            {"name": "Test Villager A1", "email": "villager.a1@example.com", "village_parent_id": cls.group_a1.id}
        )
        portal = "base.group_portal"
        cls.portal_contact = new_test_user(
            cls.env, login="vs_portal_contact", groups=portal, partner_id=cls.contact_a1.id, tz="Europe/Paris"
        )
        cls.portal_b1 = new_test_user(cls.env, login="vs_portal_b1", groups=portal, partner_id=cls.contact_b1.id)
        cls.portal_villager = new_test_user(
            cls.env, login="vs_portal_villager", groups=portal, partner_id=cls.villager_a1.id
        )
        # a household of A1 without a smartphone: Notify gives it a reach line
        cls.household_a1.phone = "+86 139 0000 4321"

        def notice(head, **vals):
            return cls.env["village.outage.notice"].with_user(head).create({"date_start": START, **vals})

        cls.notice_a1 = notice(
            cls.head_a,
            station_id=cls.station_a.id,
            date_end=END,
            reason="Test: replacing the A1 feeder pole",
            village_ids=[Command.set(cls.village_a1.ids)],
        )
        cls.restored_a1 = notice(
            cls.head_a,
            station_id=cls.station_a.id,
            kind="restored",
            date_start=BACK,
            restored_from_id=cls.notice_a1.id,
            reason="Test: power back in A1 early",
        )
        cls.draft_a1 = notice(
            cls.head_a,
            station_id=cls.station_a.id,
            reason="Test: a draft not told yet",
            village_ids=[Command.set(cls.village_a1.ids)],
        )
        cls.notice_a2 = notice(
            cls.head_a,
            station_id=cls.station_a.id,
            kind="unplanned",
            reason="Test: transformer of A2 only",
            village_ids=[Command.set(cls.village_a2.ids)],
        )
        cls.notice_b1 = notice(
            cls.head_b,
            station_id=cls.station_b.id,
            reason="Test: B1 line works",
            village_ids=[Command.set(cls.village_b1.ids)],
        )
        for record in (cls.notice_a1, cls.restored_a1, cls.notice_a2):
            record.with_user(cls.head_a).action_notify()
        cls.notice_b1.with_user(cls.head_b).action_notify()
        cls.reach_a1 = cls.notice_a1.sudo().reach_ids
        cls.env.flush_all()

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortalOutageNotices(VillageRpcMixin, HttpCase, PortalOutageCase):
    def test_a_notice_of_a_transformer_area_of_the_village(self):
        feeder = self.env["village.grid.feeder"].create(
            {"name": "Test feeder A", "code": "TP-FA", "station_id": self.station_a.id}
        )
        area = self.env["village.transformer.area"].create(
            {
                "name": "Test area A1",
                "code": "TP-A1",
                "feeder_id": feeder.id,
                "village_ids": [Command.set(self.village_a1.ids)],
            }
        )
        notice = (
            self.env["village.outage.notice"]
            .with_user(self.head_a)
            .create(
                {"date_start": START, "station_id": self.station_a.id, "transformer_area_ids": [Command.set(area.ids)]}
            )
        )
        notice.action_notify()
        Notice = self.env["village.outage.notice"]
        self.assertIn(notice, Notice.with_user(self.portal_contact).search([]), "A1's contact reads it")
        self.assertNotIn(notice, Notice.with_user(self.portal_b1).search([]))

    def test_fixture(self):
        self.assertIn(self.household_a1, self.reach_a1.partner_id)
        self.assertEqual(self.draft_a1.state, "draft")
        self.assertEqual(self.restored_a1.village_ids, self.env["res.partner"])

    def test_contact_lists_the_notified_notices_of_their_village(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        page = self._get("/my/outage-notices")
        self.assertEqual(page.status_code, 200)
        text = page.text
        # the outage and its restoration (whose villages are its outage's), newest start first
        self.assertIn("Test: replacing the A1 feeder pole", text)
        self.assertIn("Test: power back in A1 early", text)
        self.assertLess(text.index("Test: power back in A1 early"), text.index("Test: replacing the A1 feeder pole"))
        self.assertIn("Planned Outage", text)
        self.assertIn("Power Restored", text)
        self.assertIn("Test Village A1", text)
        # in the service area's time, not the reader's (Paris) nor UTC
        self.assertIn(FROM_TO, text)
        self.assertIn(BACK_FROM, text)
        self.assertNotIn("08:30", text)
        self.assertNotIn("06:30", text)
        # nothing else: no draft, no other village's notice, no household
        for other in ("a draft not told yet", "transformer of A2", "B1 line works", "Test Household", "0000 4321"):
            self.assertNotIn(other, text)
        self.assertEqual(text.count("o_village_portal_outage_notice_row"), 2)

    def test_contact_reads_a_notice_page(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        page = self._get(f"/my/outage-notices/{self.notice_a1.id}")
        self.assertEqual(page.status_code, 200)
        for shown in (
            "Planned Outage",
            FROM_TO,
            "Test Village A1",
            "Test Station A",
            "Test: replacing the A1 feeder pole",
            'href="/my/outage-notices"',  # the breadcrumb back to the list
        ):
            self.assertIn(shown, page.text)
        for hidden in ("Test Household", "0000 4321"):
            self.assertNotIn(hidden, page.text)
        # the restoration points to its outage
        page = self._get(f"/my/outage-notices/{self.restored_a1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(BACK_FROM, page.text)
        self.assertIn("Test Village A1", page.text)
        self.assertIn(f'href="/my/outage-notices/{self.notice_a1.id}"', page.text)

    def test_restoration_links_only_an_outage_one_may_read(self):
        restoration = (
            self.env["village.outage.notice"]
            .with_user(self.head_a)
            .create(
                {
                    "station_id": self.station_a.id,
                    "kind": "restored",
                    "date_start": BACK,
                    "restored_from_id": self.notice_a2.id,
                    "village_ids": [Command.set(self.village_a1.ids)],
                    "reason": "Test: back in A1 after the A2 transformer",
                }
            )
        )
        restoration.action_notify()
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        page = self._get(f"/my/outage-notices/{restoration.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("back in A1 after the A2 transformer", page.text)
        self.assertNotIn(f"/my/outage-notices/{self.notice_a2.id}", page.text)
        self.assertNotIn("Restoration of", page.text)

    def test_other_notice_ids_answer_404(self):
        """A draft, another village's and another station's notice answer as
        one that does not exist, like a station's problem on the portal."""
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        missing = self.env["village.outage.notice"].search([], order="id desc", limit=1).id + 1
        for notice_id in (self.draft_a1.id, self.notice_a2.id, self.notice_b1.id, missing):
            with self.subTest(notice_id=notice_id):
                self.assertEqual(self._get(f"/my/outage-notices/{notice_id}").status_code, 404)
        # B1's contact sees B1's notice only; a villager (not the contact) none
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_b1.id}").status_code, 200)
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_a1.id}").status_code, 404)
        self.authenticate("vs_portal_villager", "vs_portal_villager")
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_a1.id}").status_code, 404)
        listing = self._get("/my/outage-notices")
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn("o_village_portal_outage_notice_row", listing.text)

    def test_home_entry_counts_the_notices(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        home = self._get("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/outage-notices"', home.text)
        self.assertIn('data-placeholder_count="outage_notice_count"', home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["outage_notice_count"]})
        self.assertEqual(counters["outage_notice_count"], 2)
        for login, count in (("vs_portal_b1", 1), ("vs_portal_villager", 0)):
            self.authenticate(login, login)
            counters = self.make_jsonrpc_request("/my/counters", {"counters": ["outage_notice_count"]})
            self.assertEqual(counters["outage_notice_count"], count, login)

    def test_staff_see_the_notified_notices_of_their_station(self):
        """The portal pages show what was notified: an account manager of
        station A sees its notified notices there, not its drafts."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        text = self._get("/my/outage-notices").text
        self.assertIn("transformer of A2 only", text)
        self.assertNotIn("a draft not told yet", text)
        self.assertNotIn("B1 line works", text)
        self.assertEqual(self._get(f"/my/outage-notices/{self.draft_a1.id}").status_code, 404)

    @mute_logger(*MUTED)
    def test_rpc_reads_only_own_notified_notices(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        mine = {self.notice_a1.id, self.restored_a1.id}
        shown = ["name", "kind", "state", "date_start", "date_end", "reason", "village_ids", "station_id"]
        reply = self.rpc("village.outage.notice", "search_read", [], [*shown, "restored_from_id"])
        self.assertNotIn("error", reply, reply.get("error"))
        self.assertEqual({row["id"] for row in reply["result"]}, mine)
        self.assertEqual({row["state"] for row in reply["result"]}, {"notified"})
        self.assertNotIn("0000 4321", str(reply["result"]))
        # the fields a portal user is offered: no reach figure, line or text
        offered = set(self.rpc("village.outage.notice", "fields_get", [], ["type"])["result"])
        self.assertLessEqual(set(shown), offered)
        for staff_only in ("reach_ids", "post_ids", "reach_count", "unreached_count", "reach_rate"):
            self.assertNotIn(staff_only, offered)
        # newest start first
        self.assertEqual(
            self.rpc("village.outage.notice", "search", [])["result"], [self.restored_a1.id, self.notice_a1.id]
        )
        # asked for by id, or for the staff's fields: refused
        for notice in (self.draft_a1, self.notice_a2, self.notice_b1):
            with self.subTest(notice=notice.reason):
                self.assertRefused(self.rpc("village.outage.notice", "read", notice.ids, ["reason"]))
        for name in ("reach_ids", "post_ids", "reach_count", "unreached_count", "reach_rate"):
            with self.subTest(field=name):
                self.assertRefused(self.rpc("village.outage.notice", "read", self.notice_a1.ids, [name]))
        # read only
        self.assertRefused(self.rpc("village.outage.notice", "write", self.notice_a1.ids, {"reason": "x"}))
        self.assertRefused(
            self.rpc(
                "village.outage.notice",
                "create",
                {
                    "station_id": self.station_a.id,
                    "date_start": START,
                    "village_ids": [Command.set(self.village_a1.ids)],
                },
            )
        )
        # the households to reach and the WeChat texts: never
        for model in ("village.outage.reach", "village.outage.post"):
            with self.subTest(model=model):
                self.assertRefused(self.rpc(model, "search_read", [], ["id"]))
        self.assertRefused(self.rpc("village.outage.reach", "read", self.reach_a1.ids, ["phone"]))
        # another village's contact, and a villager who is not the contact
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        self.assertEqual(self.rpc("village.outage.notice", "search", [])["result"], self.notice_b1.ids)
        self.authenticate("vs_portal_villager", "vs_portal_villager")
        self.assertEqual(self.rpc("village.outage.notice", "search", [])["result"], [])

    def test_a_new_contact_takes_over(self):
        """When the village appoints another contact, the former one no
        longer reads its notices, and the new one does."""
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_a1.id}").status_code, 200)
        self.village_a1.with_user(self.bureau_user).village_contact_id = self.contact_b1
        self.env.flush_all()
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_a1.id}").status_code, 404)
        self.assertEqual(self.rpc("village.outage.notice", "search", [])["result"], [])
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        self.assertEqual(self._get(f"/my/outage-notices/{self.notice_a1.id}").status_code, 200)


@tagged("post_install", "-at_install")
class TestPortalOutageNoticesOnPhone(HttpCase, PortalOutageCase):
    """The list and a notice's page fit a phone: nothing wider than the
    screen, no table to scroll sideways, no cell cut short."""

    browser_size = "375x667"
    touch_enabled = True

    FITS = """
        (async () => {
            await document.fonts.ready;
            // the page, the table's frame, a cell (the portal cuts what overflows one), the card
            const wide = [document.documentElement, ...document.querySelectorAll(".table-responsive, td, .card")]
                .filter((el) => el.scrollWidth > el.clientWidth + 1)
                .map((el) => `${el.className || el.tagName}: ${el.scrollWidth}px in ${el.clientWidth}px`);
            if (!document.querySelector(%(selector)r)) {
                console.error("nothing to measure: %(selector)s is missing");
            } else if (wide.length) {
                console.error(`wider than a phone (${window.innerWidth}px): ${wide.join("; ")}`);
            } else {
                console.log("test successful");
            }
        })();
    """

    def test_pages_fit_a_phone(self):
        self.notice_a1.sudo().write(
            {
                "reason": "Test: replacing the A1 feeder pole and the insulators of the 10 kV Dongshan line",
                "village_ids": [Command.set((self.village_a1 | self.village_a2).ids)],
            }
        )
        for url, selector in (
            ("/my/outage-notices", ".o_village_portal_outage_notice_row"),
            (f"/my/outage-notices/{self.notice_a1.id}", ".o_village_portal_outage_notice"),
        ):
            with self.subTest(url=url):
                self.browser_js(url, self.FITS % {"selector": selector}, login="vs_portal_contact")
