import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// An account manager opens the app on a phone (375 px, Chinese): the home is
// the today screen; an inquiry is marked inquired with its outcome and a note
// and leaves the list. Selectors use classes and values, never English text.
registry.category("web_tour.tours").add("village_service_today", {
    steps: () => [
        {
            content: "After login the today screen shows, with the overdue inquiry",
            trigger: '.o_village_today .o_village_today_inquiry:contains("Test Household A1-1-01")',
        },
        {
            content: "The household and its relative can be called with one tap",
            trigger:
                '.o_village_today_inquiry:contains("Test Household A1-1-01") a.o_village_today_call[href="tel:13900000001"]',
        },
        {
            content: "The user reads Chinese",
            trigger: ".o_village_today",
            run() {
                if (!user.lang.startsWith("zh")) {
                    throw new Error(`expected a Chinese session, got ${user.lang}`);
                }
            },
        },
        {
            content: "Today's overdue meeting is on the screen",
            trigger: '.o_village_today .o_village_today_meeting:contains("Test Village A1")',
        },
        {
            content: "Tap Inquired",
            trigger: '.o_village_today_inquiry:contains("Test Household A1-1-01") .o_village_today_inquired',
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
            run: "edit Called twice, will try tomorrow",
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The inquiry left the list",
            trigger: ".o_village_today:not(:has(.modal)) .o_village_today_count_inquiries:contains(0)",
        },
        {
            trigger: '.o_village_today:not(:has(.o_village_today_inquiry:contains("Test Household A1-1-01")))',
        },
    ],
});

// The inquiries list on a phone: due date, status, rule and the Inquired
// button fit the screen without scrolling sideways.
registry.category("web_tour.tours").add("village_service_inquiries_phone", {
    steps: () => [
        {
            content: "The list shows the overdue inquiry",
            trigger: '.o_list_view .o_data_row:contains("Test Household A1-1-01")',
        },
        {
            content: "Its columns and the Inquired button are on screen",
            trigger: '.o_list_view .o_data_row button[name="action_inquired"]',
            run() {
                const width = window.innerWidth;
                const row = document.querySelector(".o_list_view .o_data_row");
                const cells = [
                    ...["partner_id", "rule_id", "date_deadline", "status"].map((name) =>
                        row.querySelector(`.o_data_cell[name="${name}"]`)
                    ),
                    row.querySelector('button[name="action_inquired"]'),
                ];
                for (const cell of cells) {
                    if (!cell) {
                        throw new Error("a column of the inquiries list is missing");
                    }
                    const rect = cell.getBoundingClientRect();
                    if (rect.left < 0 || rect.right > width) {
                        throw new Error(`${cell.getAttribute("name")} is off-screen (${rect.right} > ${width})`);
                    }
                }
            },
        },
        {
            content: "One tap opens the Inquired dialog",
            trigger: '.o_list_view .o_data_row button[name="action_inquired"]',
            run: "click",
        },
        {
            content: "Answered, needs something",
            trigger: '.modal .o_field_widget[name="outcome"] input[data-value="answered_need"]',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit Wants the socket checked",
        },
        {
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The inquiry is done: a new problem opens, prefilled with the household and its village",
            trigger: 'body:not(:has(.modal)) .o_form_view .o_field_widget[name="partner_id"] input',
            run() {
                const household = document.querySelector('.o_form_view .o_field_widget[name="partner_id"] input');
                const village = document.querySelector('.o_form_view .o_field_widget[name="village_id"] input');
                if (!household.value.includes("Test Household A1-1-01") || !village?.value.includes("Test Village A1")) {
                    throw new Error(`the problem is not prefilled: ${household.value} / ${village?.value}`);
                }
            },
        },
    ],
});

// An account manager on a phone (375 px, Chinese) reaches a household before
// an outage from the today screen: one tap calls the household or its
// relative, one tap marks it reached and the line leaves the screen. The
// committee inquiry about the household offers the village contact's number.
registry.category("web_tour.tours").add("village_service_today_reach", {
    steps: () => [
        {
            content: "After login the today screen lists the household to reach before the outage",
            trigger: '.o_village_today .o_village_today_reach:contains("Test Household A1-1-01")',
        },
        {
            content: "The user reads Chinese",
            trigger: ".o_village_today",
            run() {
                if (!user.lang.startsWith("zh")) {
                    throw new Error(`expected a Chinese session, got ${user.lang}`);
                }
            },
        },
        {
            content: "Another manager's household is not on the screen",
            trigger: '.o_village_today:not(:has(.o_village_today_reach:contains("Test Household A2-01")))',
        },
        {
            content: "The household can be called with one tap",
            trigger:
                '.o_village_today_reach:contains("Test Household A1-1-01") a.o_village_today_call[href="tel:13800000001"]',
        },
        {
            content: "and its relative",
            trigger:
                '.o_village_today_reach:contains("Test Household A1-1-01") a.o_village_today_call[href="tel:13900000001"]',
        },
        {
            content: "The line and its buttons fit the phone's width",
            trigger: '.o_village_today_reach:contains("Test Household A1-1-01") .o_village_today_reached',
            run() {
                const width = window.innerWidth;
                const line = document.querySelector(".o_village_today_reach");
                for (const el of [line, ...line.querySelectorAll("a, button")]) {
                    const rect = el.getBoundingClientRect();
                    if (rect.left < 0 || rect.right > width) {
                        throw new Error(`${el.className} is off-screen (${rect.right} > ${width})`);
                    }
                }
            },
        },
        {
            content: "The committee inquiry about the household calls the village contact",
            trigger: '.o_village_today_inquiry a.o_village_today_committee_call[href="tel:13700000001"]',
        },
        {
            content: "Tap Reached",
            trigger: '.o_village_today_reach:contains("Test Household A1-1-01") .o_village_today_reached',
            run: "click",
        },
        {
            content: "The household left the screen, and its count",
            trigger: ".o_village_today:not(:has(.o_village_today_reach)):not(:has(.o_village_today_count_reach))",
        },
    ],
});
