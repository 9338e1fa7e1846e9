import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("village_service_my_villages", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Village Service app",
            trigger: '.o_app[data-menu-xmlid="village_service.village_service_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Villages menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_villages"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="village_service.res_partner_menu_village"]',
            run: "click",
        },
        {
            content: "The list of villages is shown (the app may have opened on another menu)",
            trigger: '.o_list_view .o_data_row:contains("Test Village A1")',
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter my villages",
            trigger: '.o_filter_menu .dropdown-item:contains("My Villages")',
            run: "click",
        },
        {
            content: "Only my village is listed",
            trigger: '.o_list_view:not(:has(.o_data_row:contains("Test Village B1")))',
        },
        {
            content: "Open my village",
            trigger: '.o_data_row td.o_data_cell:contains("Test Village A1")',
            run: "click",
        },
        {
            content: "The village form is open",
            trigger: '.o_form_view .o_breadcrumb .active:contains("Test Village A1")',
        },
    ],
});
