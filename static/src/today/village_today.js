import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The account manager's day on one screen (今日工作): households to reach
 * before an outage with tap-to-call and one tap "Reached" / "Unreachable",
 * meetings of today and before still planned, inquiries due with
 * tap-to-call and one tap "Inquired", problems overdue or due this week. The figures come from one
 * call, village.today.get_today(), read with the user's own rights.
 */
export class VillageToday extends Component {
    static template = "village_service.VillageToday";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, marking: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("village.today", "get_today", []);
    }

    get sections() {
        const data = this.state.data;
        const sections = data.reach.length
            ? [{ key: "reach", title: _t("To Reach"), count: data.reach.length }]
            : [];
        return [
            ...sections,
            { key: "meetings", title: _t("Meetings"), count: data.meetings.length },
            { key: "inquiries", title: _t("Inquiries Due"), count: data.inquiries.length },
            { key: "problems", title: _t("Problems Due"), count: data.problems.length },
        ];
    }

    openRecord(resModel, resId) {
        if (!resId) {
            return;
        }
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
        });
    }

    /**
     * Reached / Unreachable: the reach line's own button (action_reached or
     * action_unreachable, over JSON-RPC as the form's), then the screen is
     * read again and the line has left it.
     */
    async markReach(line, method) {
        if (this.state.marking) {
            return;
        }
        this.state.marking = line.id;
        try {
            await this.orm.call("village.outage.reach", method, [[line.id]]);
        } finally {
            this.state.marking = null;
            await this.load();
        }
    }

    async openInquired(inquiry) {
        // the dialog's action as the inquiry list's button opens it (one definition, on the server)
        const action = await this.orm.call("village.inquiry.done", "action_open", [[inquiry.id]]);
        return this.actionService.doAction(action, { onClose: () => this.load() });
    }

    scrollTo(key) {
        const el = document.getElementById(`o_village_today_${key}`);
        if (el) {
            el.scrollIntoView({ behavior: "smooth", block: "start" });
        }
    }
}

registry.category("actions").add("village_service.today", VillageToday);
