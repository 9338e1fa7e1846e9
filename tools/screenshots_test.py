"""`make screenshots`: pictures of the demo county for README.md, taken by
headless Chromium at phone and desktop width, saved under
static/description/. Run by pytest-odoo on the database of `make run` (demo
data); not part of the test suite."""

import base64
import json
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

OUT = Path(__file__).resolve().parent.parent / "static" / "description"

WAIT = """
const selector = %s;
const started = Date.now();
const timer = setInterval(() => {
    if (document.querySelector(selector)) {
        clearInterval(timer);
        setTimeout(() => console.log("test successful"), 1500);
    } else if (Date.now() - started > 20000) {
        clearInterval(timer);
        console.error("screenshot: nothing matched " + selector);
    }
}, 200);
"""


class ScreenshotCase(HttpCase):
    def shoot(self, name, url, selector, login):
        stop = ChromeBrowser.stop

        def capture_then_stop(browser):
            # the page is ready once the code logged success; the browser stops next
            shot = browser._websocket_request("Page.captureScreenshot", params={"format": "png"})
            (OUT / f"screenshot_{name}.png").write_bytes(base64.b64decode(shot["data"]))
            stop(browser)

        with patch.object(ChromeBrowser, "stop", capture_then_stop):
            self.browser_js(url, WAIT % json.dumps(selector), login=login, timeout=60)


@tagged("post_install", "-at_install", "village_screenshots")
class TestPhoneScreenshots(ScreenshotCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_meeting_form_on_a_phone(self):
        meeting = self.env.ref("village_service.meeting_hongqi_today_demo", raise_if_not_found=False)
        meeting = meeting or self.env["village.meeting"].search([], limit=1)
        self.shoot(
            "meeting_phone",
            f"/odoo/action-village_service.village_meeting_action/{meeting.id}",
            ".o_form_view .o_form_sheet button[name='action_log_problem']",
            "manager.tucheng1",
        )

    def test_today_on_a_phone(self):
        self.shoot("today_phone", "/odoo", ".o_village_today .o_village_today_section", "manager.tucheng1")


@tagged("post_install", "-at_install", "village_screenshots")
class TestDesktopScreenshots(ScreenshotCase):
    browser_size = "1440x900"

    def test_closeout_ledger(self):
        self.shoot(
            "ledger",
            "/odoo/action-village_service.helpdesk_ticket_action_ledger?view_type=list",
            ".o_list_view .o_data_row",
            "head.tucheng",
        )

    def test_weekly_report(self):
        station = self.env.ref("village_service.team_station_tucheng_demo")
        self.shoot(
            "weekly_report",
            f"/report/html/village_service.report_weekly_station/{station.id}",
            ".o_village_figures",
            "head.tucheng",
        )

    def test_daily_statistics(self):
        self.shoot(
            "daily_statistics",
            "/odoo/daily-statistics",
            ".o_list_view .o_data_row",
            "head.tucheng",
        )

    def test_dashboard(self):
        self.shoot(
            "dashboard",
            "/odoo/action-village_service.helpdesk_ticket_team_action_dashboard",
            ".o_kanban_record .fs-3",
            "admin",
        )
