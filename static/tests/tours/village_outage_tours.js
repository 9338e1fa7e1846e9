import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("village_service_outage_reach", {
    steps: () => [
        {
            content: "The notice shows the households to reach",
            trigger: '.o_form_view .o_field_widget[name="reach_ids"] .o_data_row:contains("Test Household A1-1-01")',
        },
        {
            content: "Mark the household reached",
            trigger:
                '.o_field_widget[name="reach_ids"] .o_data_row:contains("Test Household A1-1-01") button[name="action_reached"]',
            run: "click",
        },
        {
            content: "The household is reached (the notice is read again)",
            trigger:
                '.o_field_widget[name="reach_ids"] .o_data_row:contains("Test Household A1-1-01") .o_field_widget[name="state"]:contains("Reached")',
        },
        {
            content: "and its Reached button is gone",
            trigger:
                'body:not(:has(.o_loading_indicator)) .o_field_widget[name="reach_ids"] .o_data_row:contains("Test Household A1-1-01"):not(:has(button[name="action_reached"]))',
        },
    ],
});
