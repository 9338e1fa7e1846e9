"""Every screen of the addon reads Chinese: its views as the user gets them
(the addon's own views and the helpdesk_mgmt, helpdesk_mgmt_crm and crm
views it extends, combined), the field labels and selection values they
show, the helpdesk stages, the actions and menus. A visible string with
Latin letters and no Chinese character is untranslated."""

import re

from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# what is written the same in Chinese: units, file formats, product names
ALLOWED = {"kW", "kWh", "PDF", "XLSX", "ID", "Odoo"}
# attributes the user reads (labels, buttons, filters, pages, groups,
# placeholders, confirmations, tooltips)
VISIBLE_ATTRIBUTES = ("string", "placeholder", "confirm", "title", "help", "aria-label", "sum", "avg")
# elements whose text is not shown as such
HIDDEN_TEXT_TAGS = {"style", "script", "attribute", "xpath"}
# views every app extends: only the addon's own parts are checked (the rest
# is Odoo's, e.g. the Twilio and SFU settings Odoo 19 leaves in English)
SHARED_ROOTS = {"base.res_config_settings_view_form"}
# strings Odoo 19's own zh_CN leaves untranslated in the screens the addon
# extends: (root view, text)
ODOO_GAPS = {
    ("base.view_partner_form", "and"),  # "(Same <VAT> and <registry>)", split by two fields
}
STAGES = {
    "helpdesk_mgmt.helpdesk_ticket_stage_new": "新建",
    "helpdesk_mgmt.helpdesk_ticket_stage_in_progress": "处理中",
    "helpdesk_mgmt.helpdesk_ticket_stage_awaiting": "等待中",
    "helpdesk_mgmt.helpdesk_ticket_stage_done": "已完成",
    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled": "已取消",
    "helpdesk_mgmt.helpdesk_ticket_stage_rejected": "已拒绝",
}


def untranslated(text):
    text = (text or "").strip()
    if not text or CJK.search(text) or not LATIN.search(text):
        return False
    words = re.findall(r"[A-Za-z]+", text)
    return not all(word in ALLOWED for word in words)


@tagged("post_install", "-at_install")
class TestViewsReadChinese(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a database with the demo has zh_CN and its terms from the install;
        # without the demo, activating it loads the terms of every module
        cls.env["res.lang"]._activate_and_install_lang("zh_CN")
        cls.user = new_test_user(
            cls.env,
            login="vs_i18n_bureau",
            groups="village_service.group_village_manager,base.group_system,sales_team.group_sale_manager",
            lang="zh_CN",
        )
        cls.zh = cls.env(user=cls.user, context={"lang": "zh_CN"})

    def _addon_records(self, model):
        data = self.env["ir.model.data"].search([("module", "=", "village_service"), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _root(self, view):
        while view.mode == "extension" and view.inherit_id:
            view = view.inherit_id
        return view

    def _arch_strings(self, arch):
        """(where, text) of every string the user reads in a view's arch."""
        tree = etree.fromstring(arch) if isinstance(arch, str) else arch
        for node in tree.iter(tag=etree.Element):
            where = f"<{node.tag} name={node.get('name')!r}>"
            for attribute in VISIBLE_ATTRIBUTES:
                if node.get(attribute):
                    yield f"{where} {attribute}", node.get(attribute)
            if node.tag not in HIDDEN_TEXT_TAGS and node.text:
                yield f"{where} text", node.text
            if node.tail and node.getparent() is not None and node.getparent().tag not in HIDDEN_TEXT_TAGS:
                yield f"after {where}", node.tail

    def _check_fields(self, node, model, problems, where):
        """The labels and selection values of the fields a view shows
        without a label of their own, as fields_get gives them to the client
        in the user's language; the fields of sub-views on their model."""
        fields = self.zh[model].fields_get(attributes=["string", "selection", "type", "relation"])
        for child in node.iterchildren(tag=etree.Element):
            if child.tag != "field":
                self._check_fields(child, model, problems, where)
                continue
            field = fields.get(child.get("name"))
            if not field or child.get("invisible") in ("1", "True") or child.get("column_invisible") in ("1", "True"):
                continue
            name = f"{model}.{child.get('name')}"
            if not child.get("string") and untranslated(field["string"]):
                problems.append(f"{where}: field {name} label {field['string']!r}")
            for value, label in field.get("selection") or ():
                # a value shown as its code (time zones), a language's own name
                if label != value and child.get("name") != "lang" and untranslated(label):
                    problems.append(f"{where}: field {name} value {label!r}")
            if field.get("relation") and len(child):
                self._check_fields(child, field["relation"], problems, where)

    def test_every_view_of_the_addon_reads_chinese(self):
        views = self._addon_records("ir.ui.view").filtered("active")
        self.assertGreater(len(views), 40)
        roots = {self._root(view) for view in views}
        # the helpdesk and CRM screens the addon extends are among them
        modules = set(
            self.env["ir.model.data"]
            .search([("model", "=", "ir.ui.view"), ("res_id", "in", [root.id for root in roots])])
            .mapped("module")
        )
        self.assertLessEqual({"helpdesk_mgmt", "crm"}, modules)
        problems = []
        for root in sorted(roots, key=lambda view: view.id):
            where = root.xml_id or root.name
            if root.type == "qweb":
                archs = [root.with_env(self.zh).sudo()._get_combined_arch()]
            elif where in SHARED_ROOTS:
                own = views.filtered(lambda view, root=root: self._root(view) == root)
                archs = [etree.fromstring(view.with_env(self.zh).sudo().arch_db) for view in own]
            else:
                archs = [etree.fromstring(self.zh[root.model]._get_view_cache(root.id, root.type)["arch"])]
            for arch in archs:
                for spot, text in self._arch_strings(arch):
                    if untranslated(text) and (where, text.strip()) not in ODOO_GAPS:
                        problems.append(f"{where} {spot}: {text.strip()!r}")
                if root.type != "qweb":
                    # a field without its own label shows the model's
                    self._check_fields(arch, root.model, problems, where)
        problems = sorted(set(problems))
        self.assertFalse(problems, f"{len(problems)} untranslated strings in zh_CN:\n" + "\n".join(problems))

    def test_actions_and_menus_read_chinese(self):
        problems = []
        for model, field in (("ir.actions.act_window", "name"), ("ir.ui.menu", "name")):
            for record in self._addon_records(model).with_env(self.zh).sudo():
                if untranslated(record[field]):
                    problems.append(f"{model} {record.get_external_id()[record.id]}: {record[field]!r}")
        self.assertFalse(problems, "\n".join(problems))

    def test_helpdesk_stages_read_chinese(self):
        for xmlid, name in STAGES.items():
            stage = self.env.ref(xmlid).with_env(self.zh)
            self.assertEqual(stage.name, name, xmlid)
        stages = self.zh["helpdesk.ticket.stage"].search([])
        self.assertFalse([stage.name for stage in stages if untranslated(stage.name)])


@tagged("post_install", "-at_install")
class TestChineseWithTheModule(TransactionCase):
    def test_the_demo_database_reads_chinese(self):
        """`-i village_service --with-demo`: Chinese is active with every
        module's terms, the demo users and the administrator use it."""
        if not self.env.ref("village_service.team_bureau_demo", raise_if_not_found=False):
            self.skipTest("a database without the demo data")
        self.assertTrue(self.env.ref("base.lang_zh_CN").active)
        self.assertEqual(self.env.ref("base.user_admin").lang, "zh_CN")
        for xmlid in ("user_head_xijiu_demo", "user_manager_tucheng1_demo"):
            self.assertEqual(self.env.ref(f"village_service.{xmlid}").lang, "zh_CN")
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").name, "处理中")
        self.assertEqual(zh.ref("village_service.helpdesk_ticket_menu_ledger").name, "问题台账")
        self.assertEqual(zh.ref("crm.menu_crm_opportunities").name, "我的渠道")  # Odoo's own zh_CN
        field = zh["helpdesk.ticket"].fields_get(["user_id"], ["string"])["user_id"]
        self.assertEqual(field["string"], "负责用户")
        self.assertEqual(self.env.ref("village_service.village_huarun_demo").name, "华润社区")

    def test_upgrade_loads_the_helpdesk_terms(self):
        """Installing or upgrading village_service loads the zh_CN terms of
        the helpdesk_mgmt and helpdesk_mgmt_crm records it ships
        (i18n_extra/zh_CN.po), into a database that had none of them."""
        self.env["res.lang"]._activate_lang("zh_CN")
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        template = self.env.ref("helpdesk_mgmt.closed_ticket_template")
        view = self.env.ref("helpdesk_mgmt_crm.ticket_view_form")
        for record, field in ((stage, "name"), (template, "subject"), (view, "arch_db")):
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s - 'zh_CN' WHERE id = %s",
                    SQL.identifier(record._table),
                    SQL.identifier(field),
                    SQL.identifier(field),
                    record.id,
                )
            )
        self.env.invalidate_all()
        self.assertEqual(stage.with_context(lang="zh_CN").name, "Awaiting")
        # what Odoo runs for the module at its install and upgrade
        self.env["ir.module.module"].search([("name", "=", "village_service")])._update_translations()
        self.env.invalidate_all()
        self.assertEqual(stage.with_context(lang="zh_CN").name, "等待中")
        self.assertEqual(template.with_context(lang="zh_CN").subject, "问题 {{object.number}} 已关闭。")
        self.assertIn("转为商机", view.with_context(lang="zh_CN").arch_db)
