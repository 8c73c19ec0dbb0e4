import { Component } from "@odoo/owl";

/**
 * The receipt of a store flow (handover, return, endless aisle) from the plain values the
 * server returns (pos.order._omni_receipt). Shown on the screen and printed through the POS
 * printer service (IoT/ePOS printer, or the browser's print dialog as fallback).
 */
export class OmniReceipt extends Component {
    static template = "omni_store_pos.OmniReceipt";
    static props = { receipt: Object, formatCurrency: Function };

    formatAmount(amount) {
        return this.props.formatCurrency(amount || 0);
    }
}

/**
 * Print ``receipt`` through the POS printer service, as core's PosStore.printReceipt does.
 *
 * @param {import("@point_of_sale/app/store/pos_store").PosStore} pos
 * @param {Object} receipt
 */
export function printOmniReceipt(pos, receipt) {
    return pos.printer.print(
        OmniReceipt,
        { receipt, formatCurrency: pos.env.utils.formatCurrency },
        { webPrintFallback: true }
    );
}
