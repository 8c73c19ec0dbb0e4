from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import float_is_zero

from .. import cs
from ..sourcing import SourcingEngine


class SaleOrder(models.Model):
    """Customer-service actions (cancel, change address, switch mode, resend): the ORM side.

    ``_omni_cs_info`` reads the order into plain data (batched), ``cs.plan_*`` decides,
    ``_omni_cs_execute`` applies exactly the effects of that plan. Labels are reached through
    two hooks (``_omni_cs_labels`` / ``_omni_cs_apply_labels``) that omni_carrier extends, so
    this module needs no carrier.
    """

    _inherit = "sale.order"

    # === ACTIONS === #

    def action_omni_cs(self):
        """Open the customer-service wizard for the action named in the context."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order.omni.cs",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Customer Service: %(order)s", order=self.name),
            "context": {
                "default_order_id": self.id,
                "default_action": self.env.context.get("omni_cs_action", "cancel"),
            },
        }

    # === HOOKS === #

    def _omni_cs_labels(self, pickings):
        """{picking id: [cs.LabelInfo]} of the carrier labels bought for ``pickings``.
        No labels without a carrier module; omni_carrier adds its shipments."""
        return {}

    def _omni_cs_apply_labels(self, void_pickings, renew_pickings):
        """Void the labels of ``void_pickings``; void and buy again those of
        ``renew_pickings`` (same transaction, carrier calls run as queue jobs)."""
        return True

    # === PLAIN DATA === #

    def _omni_cs_info(self):
        """The order as ``cs.OrderInfo``: one read per kind of document."""
        self.ensure_one()
        order = self
        pickings = order.picking_ids
        labels = order._omni_cs_labels(pickings)
        picking_infos = tuple(
            cs.PickingInfo(
                id=p.id,
                name=p.name,
                state=p.state,
                outgoing=p.location_dest_id.usage == "customer",
                started=p.state != "done" and any(p.move_ids.mapped("picked")),
                labels=tuple(labels.get(p.id, ())),
            )
            for p in pickings
        )
        purchase_lines = order.order_line.sudo().purchase_line_ids
        po_qty = {}
        for po in purchase_lines.order_id:
            po_qty[po.id] = sum(
                po.order_line.filtered(lambda pol: pol.state != "cancel").mapped("product_qty")
            )
        lines = []
        for line in order.order_line.filtered(lambda ln: not ln.display_type):
            moves = line.move_ids.filtered(lambda m: m.location_dest_id.usage == "customer")
            qty = line.product_uom_qty
            lines.append(
                cs.LineInfo(
                    id=line.id,
                    name=line.product_id.display_name or line.name,
                    qty=qty,
                    qty_delivered=line.qty_delivered,
                    qty_invoiced=line.qty_invoiced,
                    unit_total=line.price_total / qty if qty else 0.0,
                    moves=tuple(
                        cs.MoveInfo(
                            id=m.id,
                            picking_id=m.picking_id.id,
                            qty=m.product_uom._compute_quantity(
                                m.product_uom_qty, line.product_uom
                            ),
                            state=m.state,
                            picked=m.picked,
                            purchase_line_id=m.sudo().purchase_line_id.id,
                        )
                        for m in moves
                    ),
                    purchase_lines=tuple(
                        cs.PurchaseLineInfo(
                            id=pol.id,
                            order_id=pol.order_id.id,
                            order_name=pol.order_id.name,
                            order_state=pol.order_id.state,
                            qty=pol.product_qty,
                            qty_received=pol.qty_received,
                            order_open_qty=po_qty.get(pol.order_id.id, 0.0),
                        )
                        for pol in purchase_lines.filtered(
                            lambda pol, ln=line: pol.sale_line_id == ln and pol.state != "cancel"
                        )
                    ),
                )
            )
        invoices = order.invoice_ids.filtered(lambda m: m.state == "posted")
        sign = {"out_invoice": 1.0, "out_refund": -1.0}
        invoiced = sum(sign.get(m.move_type, 0.0) * m.amount_total for m in invoices)
        paid = sum(
            sign.get(m.move_type, 0.0) * (m.amount_total - m.amount_residual) for m in invoices
        )
        return cs.OrderInfo(
            id=order.id,
            name=order.name,
            state=order.state,
            amount_total=order.amount_total,
            currency=order.currency_id.name,
            lines=tuple(lines),
            pickings=picking_infos,
            invoiced=invoiced,
            paid=paid,
            can_invoice=self.env.user.has_group("account.group_account_invoice"),
            mode=order.omni_mode,
            pickup=order.omni_pickup_node_id.name or "",
            ship_to=order.partner_shipping_id.id,
            ship_to_name=order.partner_shipping_id.display_name,
        )

    def _omni_cs_routing(self, partner=None, mode=None, pickup=None):
        """Dry run of the sourcing engine for the open quantities with another address or
        mode: {"current": [node names], "new": [node names] or None (held), "changed",
        "resource": [picking ids]}. Nothing is stored or locked; the order's own reserved
        quantities count as available (they are freed when it is sourced again)."""
        self.ensure_one()
        order = self
        open_pickings = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and not any(p.move_ids.mapped("picked"))
        )
        active = order.omni_assignment_ids.filtered(
            lambda a: a.state != "rejected" and a.picking_id in open_pickings
        )
        current = active.node_id
        values = {
            "partner_shipping_id": (partner or order.partner_shipping_id).id,
            "omni_mode": mode or order.omni_mode,
            "omni_pickup_node_id": (
                pickup.id if pickup is not None else order.omni_pickup_node_id.id
            ),
        }
        virtual = order.new(values, origin=order)
        remaining = {}
        for vline in virtual.order_line:
            line = vline._origin
            moves = line.move_ids.filtered(
                lambda m, p=open_pickings: m.picking_id in p and m.state not in ("done", "cancel")
            )
            qty = sum(moves.mapped("product_qty"))
            if not moves and not line.move_ids and line.product_id.is_storable:
                qty = line.product_uom_qty
            if qty:
                remaining[vline] = qty
        nodes = self.env["omni.fulfilment.node"].search([("company_id", "=", order.company_id.id)])
        ruleset = self.env["omni.sourcing.ruleset"]._omni_active(order.company_id)
        rule = ruleset._omni_match(virtual, values["omni_mode"]) if ruleset else ruleset
        if not rule or not remaining:
            return {
                "current": sorted(current.mapped("name")),
                "new": None if not rule else sorted(current.mapped("name")),
                "changed": False,
                "resource": [],
            }
        engine_nodes = nodes._omni_engine_nodes()
        services = set().union(*(n.services for n in engine_nodes)) if engine_nodes else set()
        snapshot = nodes._omni_stock_snapshot(
            order.order_line.product_id, team=order.team_id, lock=False
        )
        stock = {key: vals["available"] for key, vals in snapshot.items()}
        by_warehouse = {n.warehouse_id.id: n.id for n in nodes if n.warehouse_id}
        for move in (order.picking_ids & open_pickings).move_ids:
            node_id = by_warehouse.get(move.location_id.warehouse_id.id)
            if node_id and move.quantity:
                key = (node_id, move.product_id.id)
                stock[key] = stock.get(key, 0.0) + move.quantity
        request = virtual._omni_request(remaining, services)
        decision = SourcingEngine(engine_nodes, stock).source(request, rule._omni_engine_rule())
        chosen = self.env["omni.fulfilment.node"].browse(
            sorted({s.node_id for s in decision.shipments})
        )
        held = decision.status == "held"
        return {
            "current": sorted(current.mapped("name")),
            "new": None if held else sorted(chosen.mapped("name")),
            "changed": not held and set(chosen.ids) != set(current.ids),
            "resource": open_pickings.ids,
        }

    def _omni_cs_last_notification(self):
        """The last message sent to the customer about this order (on the order or one of
        its transfers): {"id", "subject"} or None."""
        self.ensure_one()
        customer = self.partner_id
        messages = self.env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "sale.order"),
                ("res_id", "=", self.id),
                "&",
                ("model", "=", "stock.picking"),
                ("res_id", "in", self.picking_ids.ids),
                "|",
                ("message_type", "=", "email_outgoing"),
                "&",
                ("message_type", "=", "comment"),
                ("partner_ids", "in", customer.ids),
            ],
            order="id desc",
            limit=1,
        )
        if not messages:
            return None
        return {"id": messages.id, "subject": messages.subject or messages.record_name or ""}

    # === EXECUTION === #

    def _omni_cs_execute(self, plan):
        """Apply the effects of ``plan`` (a ``cs.Plan.to_dict()``), in a fixed order, all in
        the caller's transaction: when one step raises, nothing is kept."""
        self.ensure_one()
        effects = {}
        for effect in plan["effects"]:
            effects.setdefault(effect["kind"], []).append(effect)

        def records(kind, model):
            return self.env[model].browse([e["id"] for e in effects.get(kind, [])])

        for effect in effects.get(cs.planner.MOVE_REDUCE, []):
            move = self.env["stock.move"].browse(effect["id"])
            move._do_unreserve()
            move.product_uom_qty = move.sale_line_id.product_uom._compute_quantity(
                effect["after"], move.product_uom
            )
            move._action_assign()
        records(cs.planner.MOVE_CANCEL, "stock.move")._action_cancel()
        for effect in effects.get(cs.planner.PO_LINE_REDUCE, []):
            self.env["purchase.order.line"].sudo().browse(effect["id"]).product_qty = effect[
                "after"
            ]
        records(cs.planner.PO_CANCEL, "purchase.order").sudo().button_cancel()
        for effect in effects.get(cs.planner.PO_NOTIFY, []):
            self.env["purchase.order"].sudo().browse(effect["id"]).message_post(
                body=self.env._(
                    "The customer cancelled part of %(order)s: this drop-ship order now needs "
                    "%(qty)s instead of %(before)s. Tell the vendor.",
                    order=self.name,
                    qty=effect["after"],
                    before=effect["before"],
                )
            )
        credit = {
            self.env["sale.order.line"].browse(e["id"]): e["before"]
            for e in effects.get(cs.planner.CREDIT_NOTE, [])
        }
        refund_note = self._omni_cs_credit_note(credit) if credit else None
        for effect in effects.get(cs.planner.LINE_REDUCE, []):
            line = self.env["sale.order.line"].browse(effect["id"])
            line.product_uom_qty = effect["after"]
        for effect in effects.get(cs.planner.REFUND, []):
            self._omni_cs_refund(refund_note, effect["amount"])
        if refund_note:
            self._omni_cs_settle(refund_note)
        for effect in effects.get(cs.planner.SHIP_TO, []):
            self._omni_cs_ship_to(effect["data"]["partner_id"])
        for effect in effects.get(cs.planner.MODE, []):
            self.write(
                {
                    "omni_mode": effect["data"]["mode"],
                    "omni_pickup_node_id": effect["data"]["pickup_id"] or False,
                }
            )
        resource = records(cs.planner.RESOURCE, "stock.picking")
        if resource:
            resource._omni_reject(reason=None, exclude=False)
            if self.omni_sourcing_state == "held":
                raise UserError(
                    self.env._(
                        "%(order)s cannot be sourced again: %(reason)s",
                        order=self.name,
                        reason=self.omni_sourcing_message or "",
                    )
                )
        self._omni_cs_apply_labels(
            records(cs.planner.LABEL_VOID, "stock.picking"),
            records(cs.planner.LABEL_RENEW, "stock.picking"),
        )
        if effects.get(cs.planner.ORDER_CANCEL):
            self._action_cancel()
        for effect in effects.get(cs.planner.RESEND, []):
            self._omni_cs_resend(self.env["mail.message"].browse(effect["id"]))
        return refund_note

    def _omni_cs_credit_note(self, quantities):
        """One posted credit note for {sale.order.line: quantity}, linked to the lines (so
        their invoiced quantity goes down) and to the last invoice."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        vals = self._prepare_invoice()
        vals.update(
            move_type="out_refund",
            reversed_entry_id=invoices[-1:].id,
            ref=self.env._("Cancelled on %(order)s", order=self.name),
            invoice_line_ids=[
                Command.create(line._prepare_invoice_line(quantity=qty))
                for line, qty in quantities.items()
            ],
        )
        refund = self.env["account.move"].create(vals)
        refund.action_post()
        return refund

    def _omni_cs_refund(self, refund_note, amount):
        """Pay ``amount`` back on the credit note, in the journal the customer paid with."""
        journal = (
            self.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
            ._get_reconciled_payments()
            .journal_id[:1]
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=refund_note.ids)
            .create({"amount": amount, **({"journal_id": journal.id} if journal else {})})
        )
        wizard._create_payments()

    def _omni_cs_settle(self, refund_note):
        """What the credit note does not pay back settles the open invoices."""
        lines = refund_note.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable" and not ln.reconciled
        )
        if not lines:
            return
        for invoice in self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state not in ("paid", "in_payment", "reversed")
        ):
            if float_is_zero(sum(lines.mapped("amount_residual")), 2):
                break
            invoice.js_assign_outstanding_line(lines.id)

    def _omni_cs_ship_to(self, partner_id):
        done = self.picking_ids.filtered(lambda p: p.state in ("done", "cancel"))
        kept = {picking: picking.partner_id for picking in done}
        self.with_context(update_delivery_shipping_partner=True).write(
            {"partner_shipping_id": partner_id}
        )
        # core moves every transfer of the order to the new address: finished ones keep theirs
        for picking, partner in kept.items():
            if picking.partner_id != partner:
                picking.partner_id = partner

    def _omni_cs_resend(self, message):
        """Post the notification again to the customer only, on the same document."""
        record = self.env[message.model].browse(message.res_id)
        record.message_post(
            body=message.body,
            subject=message.subject,
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
