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
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_log_problem"]',
        },
        {
            content: "Mark the meeting done",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_done"]',
            run: "click",
        },
        {
            content: "The meeting is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
    ],
});
