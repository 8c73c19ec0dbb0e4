import { Component, onMounted, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { localization } from "@web/core/l10n/localization";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { uuidv4 } from "@point_of_sale/utils";
import { OmniReceipt, printOmniReceipt } from "./omni_receipt/omni_receipt";

// The POS only displays: every decision (what is listed, what may be handed over, returned,
// scanned) is taken by the server methods on pos.config (models/pos_config.py).

export class OmniStoreScreen extends Component {
    static storeOnOrder = false;
    static props = {};
    static components = { OmniReceipt };

    setup() {
        this.pos = usePos();
        this.state = useState({ error: "", message: "", busy: false });
    }

    call(method, args = []) {
        return this.pos.data.call("pos.config", method, [[this.pos.config.id], ...args]);
    }

    async run(method, args) {
        this.state.error = "";
        this.state.busy = true;
        try {
            return await this.call(method, args);
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
            return null;
        } finally {
            this.state.busy = false;
        }
    }

    back() {
        this.pos.showScreen("ProductScreen");
    }

    get paymentMethods() {
        return this.pos.models["pos.payment.method"].getAll();
    }

    /** The screens follow the user's language direction themselves: Odoo flips its own
     * stylesheets for right-to-left languages only where the server has rtlcss. */
    get direction() {
        return localization.direction === "rtl" ? "rtl" : "ltr";
    }

    formatAmount(amount) {
        return this.env.utils.formatCurrency(amount || 0);
    }

    /**
     * Print a store receipt through the POS printer service; a printer error is shown.
     */
    async printReceipt(receipt) {
        this.state.error = "";
        try {
            await printOmniReceipt(this.pos, receipt);
        } catch (error) {
            this.state.error = error.body || error.message || String(error);
        }
    }

    /**
     * Show the carrier label a server method prepared (pos.config._omni_label_info): open
     * the PDF to print when it is ready, else say why not.
     */
    showLabel(info) {
        this.state.label = info;
        if (info.url) {
            window.open(info.url, "_blank");
        }
    }
}

export class OmniPickupScreen extends OmniStoreScreen {
    static template = "omni_store_pos.PickupScreen";

    setup() {
        super.setup();
        Object.assign(this.state, {
            query: "",
            pickups: [],
            selected: null,
            quantities: {},
            idChecked: false,
            paymentMethodId: false,
            result: null,
            key: null,
        });
        onMounted(() => this.search());
    }

    stateLabel(pickup) {
        return {
            on_its_way: _t("On its way"),
            ready: _t("Ready"),
            reserved: _t("Reserved until %s", pickup.reserved_until || ""),
            no_show: _t("No-show"),
        }[pickup.state];
    }

    async search() {
        const pickups = await this.run("omni_pickups", [this.state.query]);
        if (pickups) {
            this.state.pickups = pickups;
            if (pickups.length === 1 && this.state.query) {
                this.select(pickups[0]);
            }
        }
    }

    onSearchKey(ev) {
        if (ev.key === "Enter") {
            this.search();
        }
    }

    select(pickup) {
        this.state.selected = pickup;
        this.state.result = null;
        this.state.idChecked = false;
        this.state.key = uuidv4(); // one key per confirmation: retries count once
        this.state.paymentMethodId = this.paymentMethods[0]?.id || false;
        this.state.quantities = Object.fromEntries(pickup.lines.map((l) => [l.id, l.qty]));
    }

    get total() {
        const pickup = this.state.selected;
        return pickup.lines.reduce(
            (sum, line) => sum + line.price * (Number(this.state.quantities[line.id]) || 0),
            0
        );
    }

    async handover() {
        const pickup = this.state.selected;
        const result = await this.run("omni_handover", [
            pickup.id,
            this.state.quantities,
            this.state.key,
            pickup.paid ? false : Number(this.state.paymentMethodId),
            this.state.idChecked,
        ]);
        if (result) {
            this.state.result = result;
            this.state.pickups = this.state.pickups.filter((p) => p.id !== pickup.id);
        }
    }

    print() {
        return this.printReceipt(this.state.result.receipt);
    }

    done() {
        this.state.selected = null;
        this.state.result = null;
    }
}

export class OmniStoreOrdersScreen extends OmniStoreScreen {
    static template = "omni_store_pos.StoreOrdersScreen";

    setup() {
        super.setup();
        Object.assign(this.state, {
            tasks: [],
            reasons: [],
            selected: null,
            code: "",
            reasonId: false,
            ok: null,
            packed: [],
            label: null,
        });
        onMounted(() => this.load());
    }

    async load() {
        const data = await this.run("omni_store_tasks");
        if (data) {
            this.state.tasks = data.tasks;
            this.state.packed = data.packed || [];
            this.state.reasons = data.reasons;
            this.state.reasonId = data.reasons[0]?.id || false;
        }
    }

    sla(task) {
        const minutes = Math.round(task.seconds_left / 60);
        const sign = minutes < 0 ? "-" : "";
        const abs = Math.abs(minutes);
        return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
    }

    kindLabel(task) {
        return task.kind === "ship" ? _t("Ship from store") : _t("Pickup preparation");
    }

    select(task) {
        this.state.selected = task;
        this.state.code = "";
        this.state.message = "";
        this.state.ok = null;
    }

    async onScanKey(ev) {
        if (ev.key !== "Enter" || !this.state.code) {
            return;
        }
        const result = await this.run("omni_task_scan", [this.state.selected.id, this.state.code]);
        this.state.code = "";
        if (result) {
            this.state.ok = result.ok;
            this.state.message = result.message;
            this.state.selected.lines = result.lines;
        }
    }

    async pack() {
        const task = this.state.selected;
        const result = await this.run("omni_task_done", [task.id]);
        if (result) {
            // the packed task leaves the list before the confirmation shows
            this.state.tasks = this.state.tasks.filter((t) => t.id !== task.id);
            this.state.selected = null;
            await this.load();
            this.state.message = result.label
                ? _t("Packed. Carrier label: %s", result.label.shipment)
                : _t("Packed: %s", result.picking);
            this.state.ok = true;
            if (task.kind === "ship") {
                // the label when the carrier already answered, else why it is not there yet
                await this.printLabel(task);
            }
        }
    }

    async printLabel(task) {
        const info = await this.run("omni_task_label", [task.id]);
        if (info) {
            this.showLabel(info);
            task.label = info.state;
        }
    }

    async reject() {
        const result = await this.run("omni_task_reject", [
            this.state.selected.id,
            Number(this.state.reasonId),
        ]);
        if (result) {
            this.state.message = _t("%s handed back for re-routing", result.picking);
            this.state.ok = true;
            this.state.selected = null;
            await this.load();
        }
    }
}

export class OmniReturnScreen extends OmniStoreScreen {
    static template = "omni_store_pos.ReturnScreen";

    setup() {
        super.setup();
        Object.assign(this.state, {
            query: "",
            orders: [],
            reasons: [],
            selected: null,
            lines: {},
            destination: "stock",
            refund: "credit_note",
            paymentMethodId: false,
            result: null,
            key: null,
            label: null,
        });
    }

    async search() {
        const data = await this.run("omni_return_search", [this.state.query]);
        if (data) {
            this.state.orders = data.orders;
            this.state.reasons = data.reasons;
        }
    }

    onSearchKey(ev) {
        if (ev.key === "Enter") {
            this.search();
        }
    }

    select(order) {
        this.state.selected = order;
        this.state.result = null;
        this.state.label = null;
        this.state.key = uuidv4();
        this.state.refund = order.paid_online ? "credit_note" : "pos";
        this.state.paymentMethodId = this.paymentMethods[0]?.id || false;
        const reason = this.state.reasons[0]?.id || false;
        this.state.lines = Object.fromEntries(
            order.lines.map((l) => [l.id, { qty: 0, reason_id: reason }])
        );
    }

    async confirm() {
        const lines = Object.entries(this.state.lines).map(([id, v]) => ({
            line_id: Number(id),
            qty: Number(v.qty) || 0,
            reason_id: Number(v.reason_id),
        }));
        const result = await this.run("omni_return", [
            this.state.selected.id,
            lines,
            this.state.key,
            this.state.destination,
            this.state.refund,
            this.state.refund === "pos" ? Number(this.state.paymentMethodId) : false,
        ]);
        if (result) {
            this.state.result = result;
        }
    }

    async returnLabel() {
        const result = await this.run("omni_return_label", [this.state.selected.id]);
        if (result) {
            // one label per delivered parcel transfer; open the first printable one
            const ready = result.labels.find((l) => l.url) || result.labels[0];
            this.showLabel({ ...ready, all: result.labels });
        }
    }

    print() {
        return this.printReceipt(this.state.result.receipt);
    }

    done() {
        this.state.selected = null;
        this.state.result = null;
        this.state.label = null;
        this.state.orders = [];
    }
}

registry.category("pos_screens").add("OmniPickupScreen", OmniPickupScreen);
registry.category("pos_screens").add("OmniStoreOrdersScreen", OmniStoreOrdersScreen);
registry.category("pos_screens").add("OmniReturnScreen", OmniReturnScreen);
