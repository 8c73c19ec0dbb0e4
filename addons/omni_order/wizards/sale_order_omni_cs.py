from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import float_is_zero

from .. import cs
from ..sourcing import SourcingEngine

CS_ACTIONS = [
    ("cancel", "Cancel lines or quantities"),
    ("address", "Change delivery address"),
    ("mode", "Switch fulfilment mode"),
    ("resend", "Resend last notification"),
]


class SaleOrderOmniCs(models.TransientModel):
    """A customer-service change of one order: first a preview of every downstream effect
    (the plan), then ``action_apply`` executes that same plan in one transaction."""

    _name = "sale.order.omni.cs"
    _description = "Customer-Service Change of an Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id")
    action = fields.Selection(CS_ACTIONS, required=True, default="cancel")
    line_ids = fields.One2many("sale.order.omni.cs.line", "wizard_id", string="Lines")
    partner_shipping_id = fields.Many2one("res.partner", string="New Delivery Address")
    omni_mode = fields.Selection(
        [("home", "Home delivery"), ("collect", "Click & collect")], string="New Mode"
    )
    omni_pickup_node_id = fields.Many2one(
        "omni.fulfilment.node",
        string="Pickup Store",
        domain="[('kind', '=', 'store'), ('pickup_point', '=', True)]",
    )
    note = fields.Char(string="Reason", help="Why the customer asked; goes into the chatter.")
    state = fields.Selection([("edit", "Edit"), ("preview", "Preview")], default="edit")
    plan = fields.Json(readonly=True)
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)
    refusal = fields.Text(compute="_compute_preview")
    can_apply = fields.Boolean(compute="_compute_preview")

    # === COMPUTE METHODS === #

    @api.depends("plan")
    def _compute_preview(self):
        for wizard in self:
            plan = wizard.plan or {}
            refusals = [wizard._omni_refusal_text(c, p) for c, p in plan.get("refusals", [])]
            wizard.refusal = "\n".join(refusals) or False
            wizard.can_apply = bool(plan.get("effects")) and not refusals
            wizard.preview_html = wizard._omni_preview_html(plan) if plan else False

    # === CRUD METHODS === #

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["sale.order"].browse(res.get("order_id"))
        if order and res.get("action", "cancel") == "cancel" and "line_ids" in fields_list:
            res["line_ids"] = [
                Command.create({"sale_line_id": line.id})
                for line in order.order_line.filtered(
                    lambda ln: not ln.display_type and ln.product_uom_qty
                )
            ]
        if order and "omni_mode" in fields_list:
            res.setdefault("omni_mode", "collect" if order.omni_mode == "home" else "home")
        return res

    # === ACTIONS === #

    def action_preview(self):
        self.ensure_one()
        self.write({"plan": self._omni_plan().to_dict(), "state": "preview"})
        return self._omni_reopen()

    def action_cancel_all(self):
        """Fill in everything that is not delivered yet: the whole order."""
        self.ensure_one()
        for line in self.line_ids:
            line.cancel_qty = max(line.ordered_qty - line.delivered_qty, 0.0)
        return self._omni_reopen()

    def action_back(self):
        self.ensure_one()
        self.write({"plan": False, "state": "edit"})
        return self._omni_reopen()

    def action_apply(self):
        """Execute the previewed plan. Checked again first: the action must still be
        possible and the documents unchanged since the preview (else: preview again)."""
        self.ensure_one()
        if not self.plan:
            raise UserError(self.env._("Preview the change first."))
        fresh = self._omni_plan().to_dict()
        if fresh["refusals"]:
            raise UserError("\n".join(self._omni_refusal_text(c, p) for c, p in fresh["refusals"]))
        if fresh["effects"] != self.plan["effects"]:
            raise UserError(
                self.env._(
                    "%(order)s changed since the preview. Preview the change again.",
                    order=self.order_id.name,
                )
            )
        order = self.order_id
        self._omni_execute(self.plan)
        summary = self._omni_preview_html(self.plan)
        title = dict(self._fields["action"]._description_selection(self.env))[self.action]
        body = Markup("<p><b>%s</b>%s</p>%s") % (
            title,
            Markup(": %s") % self.note if self.note else "",
            summary,
        )
        order.message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.action != "cancel" or order.state != "cancel":
            order._omni_timeline(
                "changed", note=title if not self.note else f"{title}: {self.note}"
            )
        return {"type": "ir.actions.act_window_close"}

    # === BUSINESS METHODS === #

    def _omni_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Customer Service: %(order)s", order=self.order_id.name),
        }

    def _omni_plan(self):
        self.ensure_one()
        order = self.order_id
        info = self._omni_info()
        if self.action == "cancel":
            quantities = {
                line.sale_line_id.id: line.cancel_qty for line in self.line_ids if line.cancel_qty
            }
            return cs.plan_cancel(info, quantities)
        uses_network = order.omni_sourcing_state != "none"
        if self.action == "address":
            partner = self.partner_shipping_id
            if not partner:
                raise UserError(self.env._("Choose the new delivery address."))
            routing = self._omni_routing(partner=partner) if uses_network else None
            return cs.plan_address(info, partner.id, partner.display_name, routing)
        if self.action == "mode":
            pickup = self.omni_pickup_node_id if self.omni_mode == "collect" else None
            if self.omni_mode == "collect" and not pickup:
                raise UserError(self.env._("Choose the store where the customer collects."))
            pickup = pickup or self.env["omni.fulfilment.node"]
            routing = (
                self._omni_routing(mode=self.omni_mode, pickup=pickup) if uses_network else None
            )
            mode_name = dict(self._fields["omni_mode"]._description_selection(self.env))[
                self.omni_mode
            ]
            return cs.plan_mode(
                info, self.omni_mode, mode_name, pickup.id, pickup.name or "", routing
            )
        return cs.plan_resend(info, self._omni_last_notification())

    def _omni_refusal_text(self, code, params):
        _ = self.env._
        p = dict(params)
        if code == "order_cancelled":
            return _("%(order)s is cancelled: nothing can be changed any more.", **p)
        if code == "order_not_confirmed":
            return _("%(order)s is not confirmed: change the quotation itself.", **p)
        if code == "order_locked":
            return _("%(order)s is locked: unlock it first.", **p)
        if code == "qty_too_high":
            return _("%(line)s: %(qty)s is more than the %(ordered)s ordered.", **p)
        if code == "qty_not_free":
            return _(
                "%(line)s: only %(free)s can still be cancelled, not %(qty)s "
                "(%(delivered)s already delivered; being picked or shipped: %(pickings)s).",
                **p,
            )
        if code == "nothing_to_cancel":
            return _("Enter the quantities to cancel.")
        if code == "needs_invoicing_rights":
            return _(
                "%(order)s is already invoiced: crediting %(amount)s needs invoicing rights.",
                **p,
            )
        if code == "shipped":
            return _("%(order)s has already shipped (%(pickings)s).", **p)
        if code == "started":
            return _("%(order)s is already being picked or packed (%(pickings)s).", **p)
        if code == "same_address":
            return _("%(order)s already goes to this address.", **p)
        if code == "same_mode":
            return _("%(order)s already has this fulfilment mode.", **p)
        if code == "no_route":
            return _("No store or warehouse can serve %(order)s this way.", **p)
        if code == "no_network":
            return _("%(order)s is not sourced through the fulfilment network.", **p)
        if code == "no_notification":
            return _("%(order)s has no customer notification to resend.", **p)
        return code

    def _omni_effect_text(self, effect):
        _ = self.env._
        kind, data = effect["kind"], effect.get("data") or {}
        values = dict(before=effect["before"], after=effect["after"], **data)
        texts = {
            cs.planner.MOVE_REDUCE: lambda: _("quantity %(before)s → %(after)s", **values),
            cs.planner.MOVE_CANCEL: lambda: _("move cancelled (%(before)s)", **values),
            cs.planner.LABEL_VOID: lambda: _("label %(labels)s voided", **values),
            cs.planner.LABEL_RENEW: lambda: _(
                "label %(labels)s voided and bought again", **values
            ),
            cs.planner.PO_LINE_REDUCE: lambda: _(
                "drop-ship quantity %(before)s → %(after)s", **values
            ),
            cs.planner.PO_CANCEL: lambda: _("drop-ship purchase order cancelled"),
            cs.planner.PO_NOTIFY: lambda: _(
                "already confirmed: the vendor must be told (%(before)s → %(after)s)", **values
            ),
            cs.planner.LINE_REDUCE: lambda: _("ordered %(before)s → %(after)s", **values),
            cs.planner.ORDER_CANCEL: lambda: _("order cancelled"),
            cs.planner.CREDIT_NOTE: lambda: _("credit note for %(before)s", **values),
            cs.planner.REFUND: lambda: _("refund paid back to the customer"),
            cs.planner.SHIP_TO: lambda: _("deliver to %(partner)s", **values),
            cs.planner.TRANSFER_CANCEL: lambda: _("transfer to the pickup store cancelled"),
            cs.planner.RESOURCE: lambda: _(
                "sourced again: %(nodes_from)s → %(nodes_to)s", **values
            ),
            cs.planner.MODE: lambda: _("fulfilment mode: %(mode_name)s %(pickup)s", **values),
            cs.planner.RESEND: lambda: _("sent to the customer again"),
        }
        return texts[kind]() if kind in texts else kind

    def _omni_preview_html(self, plan):
        currency = self.order_id.currency_id
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                effect["name"],
                self._omni_effect_text(effect),
                currency.format(effect["amount"]) if effect["amount"] else "",
            )
            for effect in plan.get("effects", [])
        )
        money = [
            (self.env._("Order total before"), plan.get("total_before", 0.0)),
            (self.env._("Order total after"), plan.get("total_after", 0.0)),
        ]
        if plan.get("credit"):
            money.append((self.env._("Credit note"), plan["credit"]))
        if plan.get("refund"):
            money.append((self.env._("Refund to the customer"), plan["refund"]))
        money_rows = Markup("").join(
            Markup("<tr><th colspan='2'>%s</th><th class='text-end'>%s</th></tr>")
            % (label, currency.format(amount))
            for label, amount in money
        )
        return Markup(
            "<table class='table table-sm o_omni_cs_preview'><thead><tr><th>%s</th>"
            "<th>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody>"
            "<tfoot>%s</tfoot></table>"
        ) % (
            escape(self.env._("Document")),
            escape(self.env._("Change")),
            escape(self.env._("Amount")),
            rows,
            money_rows,
        )

    # === HOOKS === #

    def _omni_labels(self, pickings):
        """{picking id: [cs.LabelInfo]} of the carrier labels bought for ``pickings``.
        No labels without a carrier module; omni_carrier adds its shipments."""
        return {}

    def _omni_apply_labels(self, void_pickings, renew_pickings):
        """Void the labels of ``void_pickings``; void and buy again those of
        ``renew_pickings`` (same transaction, carrier calls run as queue jobs)."""
        return True

    # === PLAIN DATA === #

    def _omni_info(self):
        """The order as ``cs.OrderInfo``: one read per kind of document."""
        order = self.order_id
        pickings = order.picking_ids
        labels = self._omni_labels(pickings)
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
                            origins=tuple(
                                cs.MoveInfo(
                                    id=o.id,
                                    picking_id=o.picking_id.id,
                                    qty=o.product_uom._compute_quantity(
                                        o.product_uom_qty, line.product_uom
                                    ),
                                    state=o.state,
                                    picked=o.picked,
                                )
                                for o in m.move_orig_ids
                            ),
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
            locked=order.locked,
            mode=order.omni_mode,
            pickup=order.omni_pickup_node_id.name or "",
            ship_to=order.partner_shipping_id.id,
            ship_to_name=order.partner_shipping_id.display_name,
        )

    def _omni_routing(self, partner=None, mode=None, pickup=None):
        """Dry run of the sourcing engine for the open quantities with another address or
        mode: {"current": [node names], "new": [node names] or None (held), "changed",
        "resource": [picking ids]}. Nothing is stored or locked; the order's own reserved
        quantities count as available (they are freed when it is sourced again)."""
        order = self.order_id
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

    def _omni_last_notification(self):
        """The last message sent to the customer about this order (on the order or one of
        its transfers): {"id", "subject"} or None."""
        order = self.order_id
        customer = order.partner_id
        messages = self.env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                "&",
                ("model", "=", "stock.picking"),
                ("res_id", "in", order.picking_ids.ids),
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

    def _omni_execute(self, plan):
        """Apply the effects of ``plan`` (a ``cs.Plan.to_dict()``), in a fixed order, all in
        the caller's transaction: when one step raises, nothing is kept."""
        order = self.order_id
        effects = {}
        for effect in plan["effects"]:
            effects.setdefault(effect["kind"], []).append(effect)

        def records(kind, model):
            return self.env[model].browse([e["id"] for e in effects.get(kind, [])])

        for effect in effects.get(cs.planner.MOVE_REDUCE, []):
            move = self.env["stock.move"].browse(effect["id"])
            line = self.env["sale.order.line"].browse(effect["data"]["line_id"])
            move._do_unreserve()
            move.product_uom_qty = line.product_uom._compute_quantity(
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
                    order=order.name,
                    qty=effect["after"],
                    before=effect["before"],
                )
            )
        credit = {
            self.env["sale.order.line"].browse(e["id"]): e["before"]
            for e in effects.get(cs.planner.CREDIT_NOTE, [])
        }
        refund_note = self._omni_credit_note(credit) if credit else None
        # the moves went down first: sale_stock finds the lower ordered quantity procured
        # already and launches nothing (it would otherwise send a negative procurement to
        # the order's warehouse, not to the node that ships)
        for effect in effects.get(cs.planner.LINE_REDUCE, []):
            line = self.env["sale.order.line"].browse(effect["id"])
            line.product_uom_qty = effect["after"]
        for effect in effects.get(cs.planner.REFUND, []):
            self._omni_refund(refund_note, effect["amount"])
        if refund_note:
            self._omni_settle(refund_note)
        for effect in effects.get(cs.planner.SHIP_TO, []):
            self._omni_ship_to(effect["data"]["partner_id"])
        for effect in effects.get(cs.planner.MODE, []):
            order.write(
                {
                    "omni_mode": effect["data"]["mode"],
                    "omni_pickup_node_id": effect["data"]["pickup_id"] or False,
                }
            )
        transfers = records(cs.planner.TRANSFER_CANCEL, "stock.picking")
        if transfers:
            transfers.action_cancel()
            order.omni_assignment_ids.filtered(lambda a: a.picking_id in transfers).write(
                {"state": "rejected"}
            )
        resource = records(cs.planner.RESOURCE, "stock.picking")
        if resource:
            resource._omni_reject(reason=None, exclude=False)
            if order.omni_sourcing_state == "held":
                raise UserError(
                    self.env._(
                        "%(order)s cannot be sourced again: %(reason)s",
                        order=order.name,
                        reason=order.omni_sourcing_message or "",
                    )
                )
        self._omni_apply_labels(
            records(cs.planner.LABEL_VOID, "stock.picking"),
            records(cs.planner.LABEL_RENEW, "stock.picking"),
        )
        if effects.get(cs.planner.ORDER_CANCEL):
            order._action_cancel()
        for effect in effects.get(cs.planner.RESEND, []):
            self._omni_resend(self.env["mail.message"].browse(effect["id"]))
        return refund_note

    def _omni_credit_note(self, quantities):
        """One posted credit note for {sale.order.line: quantity}, linked to the lines (so
        their invoiced quantity goes down) and to the last invoice."""
        order = self.order_id
        invoices = order.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        vals = order._prepare_invoice()
        vals.update(
            move_type="out_refund",
            reversed_entry_id=invoices[-1:].id,
            ref=self.env._("Cancelled on %(order)s", order=order.name),
            invoice_line_ids=[
                Command.create(line._prepare_invoice_line(quantity=qty))
                for line, qty in quantities.items()
            ],
        )
        refund = self.env["account.move"].create(vals)
        refund.action_post()
        return refund

    def _omni_refund(self, refund_note, amount):
        """Pay ``amount`` back on the credit note, in the journal the customer paid with."""
        order = self.order_id
        journal = (
            order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
            ._get_reconciled_payments()
            .journal_id[:1]
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=refund_note.ids)
            .create({"amount": amount, **({"journal_id": journal.id} if journal else {})})
        )
        wizard._create_payments()

    def _omni_settle(self, refund_note):
        """What the credit note does not pay back settles the open invoices."""
        order = self.order_id
        lines = refund_note.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable" and not ln.reconciled
        )
        if not lines:
            return
        for invoice in order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state not in ("paid", "in_payment", "reversed")
        ):
            if float_is_zero(sum(lines.mapped("amount_residual")), 2):
                break
            invoice.js_assign_outstanding_line(lines.id)

    def _omni_ship_to(self, partner_id):
        order = self.order_id
        done = order.picking_ids.filtered(lambda p: p.state in ("done", "cancel"))
        kept = {picking: picking.partner_id for picking in done}
        order.with_context(update_delivery_shipping_partner=True).write(
            {"partner_shipping_id": partner_id}
        )
        # core moves every transfer of the order to the new address: finished ones keep theirs
        for picking, partner in kept.items():
            if picking.partner_id != partner:
                picking.partner_id = partner

    def _omni_resend(self, message):
        """Post the notification again to the customer only, on the same document."""
        order = self.order_id
        record = self.env[message.model].browse(message.res_id)
        record.message_post(
            body=message.body,
            subject=message.subject,
            partner_ids=order.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )


class SaleOrderOmniCsLine(models.TransientModel):
    _name = "sale.order.omni.cs.line"
    _description = "Customer-Service Change: Line"

    wizard_id = fields.Many2one("sale.order.omni.cs", required=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", required=True)
    product_id = fields.Many2one(related="sale_line_id.product_id")
    ordered_qty = fields.Float(related="sale_line_id.product_uom_qty", string="Ordered")
    delivered_qty = fields.Float(related="sale_line_id.qty_delivered", string="Delivered")
    cancel_qty = fields.Float(string="Cancel", digits="Product Unit of Measure")
