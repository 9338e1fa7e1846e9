import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """The users read Chinese first: every string of the addon is translated."""

    def test_every_source_string_has_a_zh_cn_translation(self):
        po = polib.pofile(file_path("village_service/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in po if entry.msgstr.strip() and "fuzzy" not in entry.flags}
        sources = {row[4] for row in TranslationModuleReader(self.env.cr, ["village_service"])}
        self.assertGreater(len(sources), 100)
        missing = sorted(sources - translated)
        self.assertFalse(
            missing,
            f"{len(missing)} strings of village_service have no zh_CN translation "
            f"(run `make i18n`, then translate i18n/zh_CN.po): {missing[:20]}",
        )

    def test_menus_read_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        root = self.env.ref("village_service.village_service_menu_root").with_context(lang="zh_CN")
        self.assertEqual(root.name, "村电共建·社电联建")
        ledger = self.env.ref("village_service.helpdesk_ticket_menu_ledger").with_context(lang="zh_CN")
        self.assertEqual(ledger.name, "问题台账")


@tagged("post_install", "-at_install")
class TestChineseForItsReader(VillageServiceCase):
    """Jobs run in English; what they make for someone reads in that
    person's language."""

    def test_inquiry_activity_in_the_assignee_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        Rule = self.env["village.inquiry.rule"].with_context(active_test=False)
        rule = self.env.ref("village_service.inquiry_rule_monthly_visit")
        Rule.search([("id", "!=", rule.id)]).action_archive()
        rule.active = True
        (self.household_a1 | self.household_b1).care_tag_ids = rule.care_tag_ids[:1]
        self.manager_a.lang = "zh_CN"  # village A1's account manager reads Chinese
        self.assertEqual(self.manager_b.lang, "en_US")  # village B1's, English
        # as the daily job does, in the job's (English) language
        work = [(r, pid) for r, pid in Rule.with_context(lang="en_US")._inquiry_work() if r == rule]
        Rule.with_context(lang="en_US")._schedule_batch(work)
        Activity = self.env["mail.activity"]
        chinese = Activity.search([("inquiry_rule_id", "=", rule.id), ("res_id", "=", self.household_a1.id)])
        english = Activity.search([("inquiry_rule_id", "=", rule.id), ("res_id", "=", self.household_b1.id)])
        self.assertEqual(chinese.user_id, self.manager_a)
        self.assertEqual(chinese.summary, "每月上门走访老年村民")
        self.assertIn("检查线路", chinese.note)
        self.assertEqual(english.summary, "Monthly home visit to elderly villagers")
        self.assertIn("check the wiring", english.note)

    def test_helpdesk_mail_in_the_customer_language(self):
        """helpdesk_mgmt's mails go out in their recipient's language: the
        closing notice of a Chinese household's problem reads Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"])
        self.household_a1.lang = "zh_CN"
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Broken insulator", "description": "x", "partner_id": self.household_a1.id}
        )
        template = self.env.ref("helpdesk_mgmt.closed_ticket_template").with_user(self.head_a)
        mail = template._generate_template(ticket.ids, ("subject", "body_html", "lang"))[ticket.id]
        self.assertEqual(mail["subject"], f"问题 {ticket.number} 已关闭。")
        self.assertIn("已关闭", mail["body_html"])
        self.household_a1.lang = "en_US"
        mail = template._generate_template(ticket.ids, ("subject",))[ticket.id]
        self.assertEqual(mail["subject"], f"The ticket {ticket.number} has been closed.")
