import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { uuidv4 } from "@point_of_sale/utils";
import { OmniStoreScreen } from "../store_screens";
import { OmniReceipt } from "../omni_receipt/omni_receipt";

/**
 * Endless aisle: sell what this store lacks. The server (pos.config.omni_aisle_*) shows the
 * network's availability, creates the Omni sale order sourced over the network (home delivery
 * or pickup later at this store) and the paid POS order; the POS only displays.
 */
export class OmniEndlessAisleScreen extends OmniStoreScreen {
    static template = "omni_store_pos.EndlessAisleScreen";
    static components = { OmniReceipt };

    setup() {
        super.setup();
        Object.assign(this.state, {
            query: "",
            products: [],
            searched: false,
            lines: [],
            mode: "home",
            paymentMethodId: this.paymentMethods[0]?.id || false,
            result: null,
            key: uuidv4(),
        });
    }

    get partner() {
        return this.pos.get_order()?.get_partner() || null;
    }

    get partnerAddress() {
        const partner = this.partner;
        if (!partner) {
            return "";
        }
        const city = [partner.zip, partner.city].filter(Boolean).join(" ");
        return [partner.street, city].filter(Boolean).join(", ");
    }

    get total() {
        return this.state.lines.reduce((sum, line) => sum + line.price * (Number(line.qty) || 0), 0);
    }

    get canSell() {
        return (
            this.partner &&
            this.state.lines.some((line) => Number(line.qty) > 0) &&
            this.state.paymentMethodId &&
            !this.state.busy
        );
    }

    availabilityLabel(product) {
        return _t("Here: %(here)s · Network: %(network)s", {
            here: product.here,
            network: product.network,
        });
    }

    async selectPartner() {
        await this.pos.selectPartner();
    }

    async search() {
        const products = await this.run("omni_aisle_search", [this.state.query]);
        if (products) {
            this.state.products = products;
            this.state.searched = true;
        }
    }

    onSearchKey(ev) {
        if (ev.key === "Enter") {
            this.search();
        }
    }

    add(product) {
        const line = this.state.lines.find((l) => l.product_id === product.id);
        if (line) {
            line.qty = Math.min(Number(line.qty) + 1, product.network);
            return;
        }
        this.state.lines.push({
            product_id: product.id,
            name: product.name,
            price: product.price,
            qty: 1,
            max: product.network,
        });
    }

    remove(line) {
        this.state.lines = this.state.lines.filter((l) => l !== line);
    }

    async sell() {
        const result = await this.run("omni_aisle_order", [
            this.partner.id,
            this.state.lines.map((l) => ({ product_id: l.product_id, qty: Number(l.qty) || 0 })),
            this.state.mode,
            this.state.key,
            Number(this.state.paymentMethodId),
        ]);
        if (result) {
            this.state.result = result;
        }
    }

    print() {
        return this.printReceipt(this.state.result.receipt);
    }

    done() {
        Object.assign(this.state, {
            query: "",
            products: [],
            searched: false,
            lines: [],
            result: null,
            key: uuidv4(),
        });
    }
}

registry.category("pos_screens").add("OmniEndlessAisleScreen", OmniEndlessAisleScreen);
