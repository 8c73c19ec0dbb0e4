import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Omni order dashboard: orders per step now, time in step, SLA breaches.
 * Every figure comes from one server call (omni_dashboard_data, SQL aggregates) and opens
 * the orders behind it (omni_dashboard_open).
 */
export class OmniOrderDashboard extends Component {
    static template = "omni_order.OmniOrderDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.periods = [7, 30, 90];
        this.state = useState({ period: 30, data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "omni.order.timeline.report",
            "omni_dashboard_data",
            [],
            { period_days: this.state.period }
        );
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    formatHours(hours) {
        if (hours >= 48) {
            return _t("%s d", (hours / 24).toFixed(1));
        }
        return _t("%s h", hours.toFixed(1));
    }

    async open(kind, key) {
        const action = await this.orm.call(
            "omni.order.timeline.report",
            "omni_dashboard_open",
            [kind, key],
            { period_days: this.state.period }
        );
        this.action.doAction(action);
    }

    openAnalysis() {
        this.action.doAction("omni_order.omni_order_timeline_report_action");
    }
}

registry.category("actions").add("omni_order.dashboard", OmniOrderDashboard);
