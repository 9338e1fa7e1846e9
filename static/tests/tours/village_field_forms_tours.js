import { registry } from "@web/core/registry";

// The field forms on a phone (375 px), with selectors that do not depend on
// the language of the user: field names, button names, choice indexes.

// A 1x1 PNG: what a phone camera hands to the file input, in small.
const PHOTO_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async function takePhoto(fieldWidget) {
    const input = fieldWidget.querySelector("input[type=file]");
    const blob = await (await fetch(`data:image/png;base64,${PHOTO_PNG}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "photo.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

const openTodaysMeeting = [
    {
        content: "Today's meeting is on the kanban",
        trigger: '.o_kanban_record:contains("Test Village A1")',
        run: "click",
    },
    {
        content: "The field actions are on the sheet, not under the ⋮ menu",
        trigger: '.o_form_view .o_form_sheet button[name="action_open_done_wizard"]:visible',
    },
];

registry.category("web_tour.tours").add("village_service_log_problem_photo", {
    steps: () => [
        ...openTodaysMeeting,
        {
            content: "Log a problem from the meeting",
            trigger: '.o_form_view .o_form_sheet button[name="action_log_problem"]:visible',
            run: "click",
        },
        {
            content: "The problem form (with its photo button), its title",
            trigger: '.o_form_view:has(.o_field_widget[name="photo"]) .o_field_widget[name="name"] input',
            run: "edit Sparking meter box",
        },
        {
            content: "What was seen",
            trigger: '.o_form_view .o_field_widget[name="description"] .odoo-editor-editable :is(p, div.o-paragraph)',
            run: "editor The meter box sparks when it rains",
        },
        {
            content: "The photo button is at the top of the form",
            trigger: '.o_form_view .o_form_sheet .o_field_widget[name="photo"]:visible',
            async run() {
                await takePhoto(this.anchor);
            },
        },
        {
            content: "The photo is shown",
            trigger: '.o_form_view .o_field_widget[name="photo"] img[src^="data:image"]',
        },
        {
            content: "Save the problem",
            trigger: ".o_form_view .o_form_button_save:visible",
            run: "click",
        },
        {
            content: "The problem is saved",
            trigger: ".o_form_view .o_form_saved, .o_form_view .o_form_readonly",
        },
    ],
});

registry.category("web_tour.tours").add("village_service_log_demand_short_form", {
    steps: () => [
        ...openTodaysMeeting,
        {
            content: "Log a demand from the meeting",
            trigger: '.o_form_view .o_form_sheet button[name="action_log_demand"]:visible',
            run: "click",
        },
        {
            content: "The short demand form: no revenue, no probability, no Won/Lost",
            trigger:
                '.o_form_view.o_village_demand_form:not(:has(.o_field_widget[name="expected_revenue"], .o_field_widget[name="probability"], button[name="action_set_won_rainbowman"]))',
        },
        {
            content: "The demand type",
            trigger: '.o_form_view .o_field_widget[name="power_demand_type"] .o_select_menu_toggler',
            run: "click",
        },
        {
            content: "Irrigation pumping (the third type)",
            trigger: '.o-dropdown-item[data-choice-index="2"]',
            run: "click",
        },
        {
            content: "The title follows the village and the type",
            trigger: '.o_form_view .o_field_widget[name="name"] input:value(/Test Village A1 — /)',
        },
        {
            content: "The power needed",
            trigger: '.o_form_view .o_field_widget[name="power_demand_kw"] input',
            run: "edit 45",
        },
        {
            content: "Needed by",
            trigger: '.o_form_view .o_field_widget[name="power_needed_by"] input',
            run: "edit 2099/06/30 && press Enter", // the zh_CN date format
        },
        {
            content: "A photo of the site",
            trigger: '.o_form_view .o_form_sheet .o_field_widget[name="photo"]:visible',
            async run() {
                await takePhoto(this.anchor);
            },
        },
        {
            trigger: '.o_form_view .o_field_widget[name="photo"] img[src^="data:image"]',
        },
        {
            content: "Save the demand",
            trigger: ".o_form_view .o_form_button_save:visible",
            run: "click",
        },
        {
            content: "The demand is saved",
            trigger: ".o_form_view .o_form_saved, .o_form_view .o_form_readonly",
        },
    ],
});

registry.category("web_tour.tours").add("village_service_mark_done_dialog", {
    steps: () => [
        ...openTodaysMeeting,
        {
            content: "Mark the meeting done",
            trigger: '.o_form_view .o_form_sheet button[name="action_open_done_wizard"]:visible',
            run: "click",
        },
        {
            content: "The dialog asks how many people came",
            trigger: '.modal .o_field_widget[name="attendee_count"] input',
            run: "edit 0",
        },
        {
            content: "Confirm without attendees or minutes",
            trigger: '.modal footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "It is refused",
            trigger: ".modal .o_error_dialog",
        },
        {
            content: "Close the error",
            trigger: ".modal .o_error_dialog .modal-footer .o-default-button",
            run: "click",
        },
        {
            content: "25 people came",
            trigger: '.modal .o_field_widget[name="attendee_count"] input',
            run: "edit 25",
        },
        {
            content: "The minutes",
            trigger: '.modal .o_field_widget[name="minutes"] .odoo-editor-editable :is(p, div.o-paragraph)',
            run: "editor Explained the outage plan; a pole leans by the well",
        },
        {
            trigger: '.modal footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The meeting is done: no Mark Done any more, the attendees are in",
            trigger:
                'body:not(:has(.modal)) .o_form_view .o_form_sheet:not(:has(button[name="action_open_done_wizard"])) .o_field_widget[name="attendee_count"] input:value(25)',
        },
    ],
});

// The list of an action on the phone: its columns fit the screen (no sideways
// scrolling), and the villages list does not add up households (a village
// group's households are counted by its village too).
function listFitsPhone() {
    return {
        content: "The list shows its rows within the phone's width",
        trigger: ".o_list_renderer .o_data_row",
        run() {
            const renderer = document.querySelector(".o_list_renderer");
            if (renderer.scrollWidth > renderer.clientWidth + 1) {
                const columns = [...document.querySelectorAll(".o_list_renderer thead th")];
                throw new Error(
                    `the list is ${renderer.scrollWidth}px wide on a ${renderer.clientWidth}px screen: ` +
                        columns.map((th) => `${th.dataset.name || "-"} ${th.offsetWidth}px`).join(", ")
                );
            }
            const households = [...document.querySelectorAll(".o_list_renderer thead th")].findIndex(
                (th) => th.dataset.name === "village_household_count"
            );
            const total = document.querySelectorAll(".o_list_renderer tfoot td")[households];
            if (households >= 0 && total && total.textContent.trim()) {
                throw new Error(`the villages list adds up households: ${total.textContent.trim()}`);
            }
        },
    };
}

// An action a phone opens on its cards, switched to its list.
registry.category("web_tour.tours").add("village_service_list_fits_phone", {
    steps: () => [
        {
            content: "Open the view switcher",
            trigger: ".o_control_panel div.o_cp_switch_buttons > button",
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: ".o_cp_switch_buttons .dropdown-item:has(.oi-view-list)",
            run: "click",
        },
        listFitsPhone(),
    ],
});

// An action with a list only.
registry.category("web_tour.tours").add("village_service_list_only_fits_phone", {
    steps: () => [listFitsPhone()],
});
