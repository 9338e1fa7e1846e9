import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A station head on a desktop prints last week's report and downloads the
// close-out ledger from Reporting → Weekly Report. The files are downloaded
// as by any user (POST /report/download); the test checks what the server
// answered. The browser only counts the finished downloads (on <body>), so
// that the tour waits for each file before going on.
function countDownloads() {
    const original = download._download;
    let count = 0;
    download._download = async (options) => {
        const filename = await original(options);
        count++;
        document.body.dataset.villageDownloads = String(count);
        document.body.dataset.villageLastDownload = filename || "";
        return filename;
    };
}

registry.category("web_tour.tours").add("village_service_print_weekly_report", {
    steps: () => [
        {
            content: "Count the downloads of this page",
            trigger: "body",
            run: countDownloads,
        },
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Village Service app",
            trigger: '.o_app[data-menu-xmlid="village_service.village_service_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Reporting menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="village_service.village_service_menu_reporting"]',
            run: "click",
        },
        {
            content: "Weekly Report",
            trigger: '.dropdown-item[data-menu-xmlid="village_service.village_weekly_report_menu"]',
            run: "click",
        },
        {
            content: "The wizard proposes my station",
            trigger: '.modal .o_field_widget[name="station_ids"] .o_tag:contains("土城供电所")',
        },
        {
            content: "Print the PDF",
            trigger: '.modal footer button[name="action_print_pdf"]',
            run: "click",
        },
        {
            content: "The PDF is downloaded",
            trigger: 'body[data-village-downloads="1"]',
            // wkhtmltopdf prints it on the server
            timeout: 60000,
        },
        {
            content: "Download the close-out ledger",
            trigger: '.modal footer button[name="action_print_xlsx"]',
            run: "click",
        },
        {
            content: "The XLSX ledger is downloaded, without an error dialog",
            trigger: 'body[data-village-downloads="2"]:not(:has(.o_error_dialog))',
            timeout: 60000,
        },
    ],
});
