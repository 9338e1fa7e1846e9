import { registry } from "@web/core/registry";

// An account manager on a phone (375 px): a weekly call nobody answered is
// marked inquired with *no answer* from the inquiries list; the committee
// inquiry about that household it created is in the list, and opens.
registry.category("web_tour.tours").add("village_service_inquiry_chain", {
    steps: () => [
        {
            content: "The weekly call of the household is in the list",
            trigger: '.o_list_view .o_data_row:contains("Test Household A1-1-01"):contains("Test weekly call")',
        },
        {
            content: "Tap Inquired",
            trigger:
                '.o_list_view .o_data_row:contains("Test Household A1-1-01"):contains("Test weekly call") button[name="action_inquired"]',
            run: "click",
        },
        {
            content: "Nobody answered",
            trigger: '.modal .o_field_widget[name="outcome"] input[data-value="no_answer"]',
            run: "click",
        },
        {
            content: "A note",
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit Rang twice",
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The committee inquiry about the household is in the list",
            trigger:
                'body:not(:has(.modal)) .o_list_view .o_data_row:contains("Test Household A1-1-01"):contains("Test committee inquiry")',
        },
        {
            content: "Open it",
            trigger:
                '.o_list_view .o_data_row:contains("Test Household A1-1-01"):contains("Test committee inquiry") .o_data_cell[name="partner_id"]',
            run: "click",
        },
        {
            content: "Its form shows the committee inquiry of the household",
            trigger: '.o_form_view .o_field_widget[name="rule_id"]:contains("Test committee inquiry")',
        },
    ],
});
