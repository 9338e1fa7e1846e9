import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An account manager's day in the village, on a phone (375 px wide): open
// today's meeting, log a problem heard there, plan its rectification, then
// mark the meeting done.
registry.category("web_tour.tours").add("village_service_field_day", {
    steps: () => [
        {
            content: "Today's meeting is on the kanban",
            trigger: '.o_kanban_record:contains("Test Village A1")',
            run: "click",
        },
        {
            content: "Log a problem from the meeting",
            trigger: '.o_form_view .o_form_sheet button[name="action_log_problem"]:visible',
            run: "click",
        },
        {
            content: "Plan its rectification",
            trigger: '.o_form_view .o_field_widget[name="rectification_measure"] textarea',
            run: "edit Straighten and guy the pole",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="rectification_deadline"] input',
            run: "edit 12/31/2099 && press Enter",
        },
        {
            content: "Describe the problem",
            trigger: '.o_form_view .o_field_widget[name="name"] input',
            run: "edit Leaning pole by the well && press Tab",
        },
        {
            content: "Save the problem",
            trigger: ".o_form_view .o_form_button_save:visible",
            run: "click",
        },
        {
            content: "The problem is planned and routed to the grid",
            trigger: '.o_form_view .o_field_widget[name="closeout_state"]:contains("Measure Planned")',
        },
        {
            content: "Back to the meeting",
            trigger: ".o_back_button, .o_breadcrumb a:contains('Courtyard')",
            run: "click",
        },
        {
            content: "Mark the meeting done: the button is on the sheet, not under the ⋮ menu",
            trigger: '.o_form_view .o_form_sheet button[name="action_open_done_wizard"]:visible',
            run: "click",
        },
        {
            content: "How many people came",
            trigger: '.modal .o_field_widget[name="attendee_count"] input',
            run: "edit 18",
        },
        {
            content: "What was said",
            trigger: '.modal .o_field_widget[name="minutes"] .odoo-editor-editable :is(p, div.o-paragraph)',
            run: "editor A pole leans by the well",
        },
        {
            trigger: '.modal footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The meeting is done: no Mark Done any more, the attendees are in",
            trigger:
                'body:not(:has(.modal)) .o_form_view .o_form_sheet:not(:has(button[name="action_open_done_wizard"])) .o_field_widget[name="attendee_count"] input:value(18)',
        },
    ],
});

// A station head's morning at the desk: daily statistics, then verify a
// rectified problem with the customer and close it out, then the weekly report.
registry.category("web_tour.tours").add("village_service_station_morning", {
    steps: () => [
        {
            content: "Daily statistics of the station",
            trigger: '.o_list_view .o_data_row:contains("Test Station A")',
        },
        {
            content: "Open the problem ledger",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_field_work"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="village_service.helpdesk_ticket_menu_ledger"]',
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: '.o_action_manager:has(.o_kanban_view) .o_switch_view.o_list',
            run: "click",
        },
        {
            trigger: '.o_list_view th[data-name="closeout_state"]',
        },
        {
            content: "Find the problem",
            trigger: '.o_action_manager:has(th[data-name="closeout_state"]) .o_searchview_input',
            run: "edit Broken insulator && press Enter",
        },
        {
            content: "Open the rectified problem",
            trigger: '.o_data_row td[name="name"]:contains("Broken insulator")',
            run: "click",
        },
        {
            content: "Close it out",
            trigger: '.o_form_view button[name="action_closeout"]',
            run: "click",
        },
        {
            content: "The customer is satisfied",
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit Customer confirmed by phone",
        },
        {
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The problem is struck off",
            trigger: '.o_form_view .o_field_widget[name="closeout_state"]:contains("Closed Out")',
        },
        {
            content: "Open the weekly report",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_reporting"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="village_service.village_weekly_report_menu"]',
            run: "click",
        },
        {
            content: "The report is offered for my station",
            trigger: '.modal .o_field_widget[name="station_ids"]:contains("Test Station A")',
        },
        {
            trigger: '.modal button[name="action_print_pdf"]',
        },
    ],
});

// The app in Chinese, as most of its users read it.
registry.category("web_tour.tours").add("village_service_chinese_menus", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "The app is called 村电共建·社电联建",
            trigger: '.o_app[data-menu-xmlid="village_service.village_service_menu_root"]:contains("村电共建·社电联建")',
            run: "click",
        },
        {
            content: "Its menus read in Chinese",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_field_work"]:contains("走访服务")',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="village_service.helpdesk_ticket_menu_ledger"]:contains("问题台账")',
        },
    ],
});
