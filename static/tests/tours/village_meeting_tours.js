import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("village_service_meeting_done", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Village Service app",
            trigger: '.o_app[data-menu-xmlid="village_service.village_service_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Field Work menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_field_work"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="village_service.village_meeting_menu"]',
            run: "click",
        },
        {
            content: "Open today's meeting",
            trigger: '.o_kanban_record:contains("Test Village A1")',
            run: "click",
        },
        {
            content: "The meeting offers to log a problem",
            trigger: '.o_form_view .o_form_sheet button[name="action_log_problem"]:visible',
        },
        {
            content: "Mark the meeting done",
            trigger: '.o_form_view .o_form_sheet button[name="action_open_done_wizard"]:visible',
            run: "click",
        },
        {
            content: "The dialog asks how many people came",
            trigger: '.modal .o_field_widget[name="attendee_count"] input',
            run: "edit 12",
        },
        {
            content: "and what was said",
            trigger: '.modal .o_field_widget[name="minutes"] .odoo-editor-editable :is(p, div.o-paragraph)',
            run: "editor Safe use of electricity at home",
        },
        {
            trigger: '.modal footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The meeting is done",
            trigger: 'body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
    ],
});
