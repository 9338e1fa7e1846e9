# Copyright 2026 village_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Village & Community Service",
    "summary": "Rural service model of a power supply bureau: villages, "
    "service-point agreements, courtyard meetings, a close-out problem ledger",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/village-service/village_service",
    "author": "village_service contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": [
        "helpdesk_mgmt",
        "helpdesk_mgmt_crm",
        "crm",
        "digest",
        "report_xlsx",
        "mail",
        "portal",
        "web_hierarchy",
    ],
    "data": [
        "security/village_service_security.xml",
        "security/ir.model.access.csv",
        "data/village_care_tag_data.xml",
        "data/village_meeting_data.xml",
        "data/village_inquiry_rule_data.xml",
        "views/village_care_tag_views.xml",
        "views/village_chat_group_views.xml",
        "views/res_partner_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/village_coverage_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/village_meeting_views.xml",
        "views/village_meeting_topic_views.xml",
        "views/village_inquiry_rule_views.xml",
        "views/village_inquiry_state_views.xml",
        "views/village_service_menus.xml",
    ],
    "demo": [
        "demo/village_demo.xml",
        "demo/village_meeting_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "village_service/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
