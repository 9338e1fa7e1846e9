import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


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
