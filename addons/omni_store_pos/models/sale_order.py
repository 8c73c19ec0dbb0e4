from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL, float_compare, float_is_zero, hmac


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_pickup_code = fields.Char(
        string="Pickup Code",
        compute="_compute_omni_pickup_code",
        store=True,
        index=True,
        help="The code of the QR code/barcode in the ready-for-pickup e-mail; the store scans it.",
    )
    omni_id_check = fields.Boolean(
        string="Check Identity at Pickup",
        help="The store checks the customer's identity before handing the order over.",
    )
    omni_no_show = fields.Boolean(string="No-show", copy=False, readonly=True)
    omni_operation_ids = fields.One2many(
        "omni.pos.operation", "sale_order_id", string="Store Operations"
    )

    @api.depends("name")
    def _compute_omni_pickup_code(self):
        for order in self:
            if not order.id:
                order.omni_pickup_code = False
                continue
            sign = hmac(self.env(su=True), "omni-pickup-code", order.id)[:8].upper()
            order.omni_pickup_code = f"OP{order.id}-{sign}"

    # === BUSINESS METHODS === #

    def _omni_pickup_scan_value(self):
        """The QR code of the ready-for-pickup e-mail carries the pickup code, exactly what
        the Pickups screen searches for (``pos.config._omni_search_domain``)."""
        return self.omni_pickup_code or super()._omni_pickup_scan_value()

    def _omni_lock(self):
        """Row lock on the orders: store operations on one order run one after the other (a
        concurrent one waits, then is replayed by ``retrying()`` with a fresh snapshot)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM sale_order WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                    list(self.ids),
                )
            )

    def _omni_paid_invoices(self):
        return self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state in ("paid", "in_payment", "partial")
        )

    def _omni_paid_online(self):
        """Paid before the customer came: a payment transaction or a paid invoice."""
        self.ensure_one()
        if self._omni_paid_invoices():
            return True
        rounding = self.currency_id.rounding
        return not float_is_zero(self.amount_paid, precision_rounding=rounding) and (
            float_compare(self.amount_paid, self.amount_total, precision_rounding=rounding) >= 0
        )

    def _omni_refund(self, quantities, reason):
        """Credit note for ``quantities`` {sale line: qty}, posted; when the order was paid
        online, the money goes back through the journal of the original payment.

        :return: the credit note
        """
        self.ensure_one()
        quantities = {line: qty for line, qty in quantities.items() if qty > 0}
        if not quantities:
            return self.env["account.move"]
        invoice = (
            self._omni_paid_invoices()[:1]
            or self.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )[:1]
        )
        move = (
            self.env["account.move"]
            .with_context(default_move_type="out_refund")
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.partner_invoice_id.id,
                    "invoice_origin": self.name,
                    "ref": reason,
                    "reversed_entry_id": invoice.id if invoice else False,
                    "journal_id": invoice.journal_id.id if invoice else False,
                    "currency_id": self.currency_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.name,
                                "quantity": qty,
                                "product_uom_id": line.product_uom.id,
                                "price_unit": line.price_unit,
                                "discount": line.discount,
                                "tax_ids": [Command.set(line.tax_id.ids)],
                                "sale_line_ids": [Command.link(line.id)],
                            }
                        )
                        for line, qty in quantities.items()
                    ],
                }
            )
        )
        move.action_post()
        payment = invoice._get_reconciled_payments()[:1] if invoice else False
        if payment:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create(
                {
                    "journal_id": payment.journal_id.id,
                    "payment_method_line_id": payment.journal_id.outbound_payment_method_line_ids[
                        :1
                    ].id,
                }
            )._create_payments()
        return move

    def _omni_ready_date(self):
        self.ensure_one()
        events = self.omni_event_ids.filtered(lambda e: e.step == "ready_for_pickup")
        return max(events.mapped("date")) if events else False

    @api.model
    def _cron_omni_pickup_no_show(self):
        """Click & collect orders not collected: flag them (customer reminded), then cancel,
        restock and refund them (customer told)."""
        now = fields.Datetime.now()
        orders = self.search(
            [
                ("omni_mode", "=", "collect"),
                ("state", "=", "sale"),
                ("omni_pickup_ready", "=", True),
                ("omni_pickup_node_id", "!=", False),
            ]
        ).filtered(lambda o: not o.omni_operation_ids.filtered(lambda op: op.kind == "handover"))
        flagged, cancelled = self.browse(), self.browse()
        remind = self.env.ref("omni_store_pos.mail_template_pickup_no_show", False)
        told = self.env.ref("omni_store_pos.mail_template_pickup_cancelled", False)
        for order in orders:
            node = order.omni_pickup_node_id
            ready = order._omni_ready_date()
            if not ready:
                continue
            waited = now - ready
            if node.omni_no_show_cancel_hours and waited >= timedelta(
                hours=node.omni_no_show_cancel_hours
            ):
                order._omni_cancel_no_show()
                if told:
                    told.send_mail(order.id)
                cancelled |= order
            elif (
                node.omni_no_show_hours
                and not order.omni_no_show
                and waited >= timedelta(hours=node.omni_no_show_hours)
            ):
                order.omni_no_show = True
                order.message_post(body=self.env._("Not collected in time: flagged as no-show."))
                if remind:
                    remind.send_mail(order.id)
                flagged |= order
        return flagged, cancelled

    def _omni_cancel_no_show(self):
        """Cancel a no-show: the pickup picking is cancelled (its goods stay in the store's
        sellable stock), a paid order is refunded."""
        for order in self:
            paid = order._omni_paid_online()
            quantities = {
                line: line.qty_invoiced - line.qty_delivered
                for line in order.order_line.filtered(lambda ln: not ln.display_type)
            }
            order.omni_no_show = True
            order.with_context(disable_cancel_warning=True)._action_cancel()
            if paid:
                move = order._omni_refund(quantities, self.env._("No-show"))
                order._omni_timeline(
                    "returned", note=self.env._("No-show refunded"), document=move
                )
            order.message_post(
                body=self.env._(
                    "Not collected: cancelled and restocked at %(store)s.",
                    store=order.omni_pickup_node_id.name,
                )
            )
