"""The store's RPC API for the POS screens: the server decides, the POS displays.

Every method is called on the POS config of the terminal (``pos.config`` record): the record
rules on ``pos.config`` decide whether the user may work for that store, and every order or
picking touched must belong to the config's warehouse.
"""

import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero
from odoo.tools.pdf import merge_pdf

from odoo.addons.omni_carrier.models.delivery_carrier import OMNI_TYPES


class PosConfig(models.Model):
    _inherit = "pos.config"

    # === HELPERS === #

    def _omni_store(self):
        """(config as superuser, warehouse, node) after checking the user's right on the config."""
        self.ensure_one()
        self.check_access("read")  # record rules: store staff see their own stores only
        config = self.sudo()
        warehouse = config.picking_type_id.warehouse_id
        if not warehouse:
            raise UserError(self.env._("%(pos)s has no store warehouse.", pos=config.name))
        node = (
            self.env["omni.fulfilment.node"]
            .sudo()
            .search([("warehouse_id", "=", warehouse.id)], limit=1)
        )
        return config, warehouse, node

    def _omni_session(self, config):
        session = config.current_session_id
        if not session or session.state != "opened":
            raise UserError(self.env._("Open the POS session of %(pos)s first.", pos=config.name))
        return session

    def _omni_order_of_store(self, order_id, warehouse):
        order = self.env["sale.order"].sudo().browse(int(order_id)).exists()
        if not order:
            raise UserError(self.env._("This order does not exist any more."))
        in_store = order.omni_pickup_node_id.warehouse_id == warehouse or any(
            p.picking_type_id.warehouse_id == warehouse for p in order.picking_ids
        )
        if not in_store:
            raise AccessError(
                self.env._("%(order)s is not an order of this store.", order=order.name)
            )
        return order

    @api.model
    def _omni_search_domain(self, query):
        query = (query or "").strip()
        if not query:
            return []
        return expression.OR(
            [
                [("name", "ilike", query)],
                [("client_order_ref", "ilike", query)],
                [("omni_pickup_code", "=", query.upper())],
                [("partner_id.name", "ilike", query)],
                [("partner_id.email", "ilike", query)],
                [("partner_id.phone", "ilike", query)],
                [("partner_id.mobile", "ilike", query)],
            ]
        )

    @staticmethod
    def _omni_dt(value):
        return fields.Datetime.to_string(value) if value else False

    def _omni_pickup_picking(self, order, warehouse):
        return order.picking_ids.filtered(
            lambda p: p.picking_type_id == warehouse.out_type_id
            and p.state not in ("done", "cancel")
        )

    # === 1. PICKUPS === #

    def omni_pickups(self, query=""):
        """The click & collect and click & reserve orders waiting at this store."""
        config, warehouse, node = self._omni_store()
        if not node:
            return []
        now = fields.Datetime.now()
        domain = expression.AND(
            [
                [
                    ("omni_mode", "in", ("collect", "reserve")),
                    ("omni_pickup_node_id", "=", node.id),
                    ("state", "=", "sale"),
                    "|",
                    ("omni_reserved_until", "=", False),
                    ("omni_reserved_until", ">=", now),
                ],
                self._omni_search_domain(query),
            ]
        )
        orders = self.env["sale.order"].sudo().search(domain, order="date_order asc, id asc")
        result = []
        for order in orders:
            if order.omni_operation_ids.filtered(lambda op: op.kind == "handover"):
                continue
            picking = self._omni_pickup_picking(order, warehouse)
            if not picking:
                continue
            result.append(self._omni_pickup_values(order, picking[:1]))
        return result

    def _omni_pickup_values(self, order, picking):
        if order.omni_mode == "reserve":
            state = "reserved"
        elif order.omni_no_show:
            state = "no_show"
        elif order.omni_pickup_ready:
            state = "ready"
        else:
            state = "on_its_way"
        lines = []
        for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
            line = move.sale_line_id
            lines.append(
                {
                    "id": line.id,
                    "move_id": move.id,
                    "product": move.product_id.display_name,
                    "barcode": move.product_id.barcode or "",
                    "qty": move.product_uom_qty,
                    "price": line.price_total / line.product_uom_qty
                    if line.product_uom_qty
                    else 0,
                }
            )
        paid = order._omni_paid_online()
        return {
            "id": order.id,
            "name": order.name,
            "ref": order.client_order_ref or "",
            "code": order.omni_pickup_code,
            "mode": order.omni_mode,
            "state": state,
            "ready": bool(order.omni_pickup_ready),
            "reserved_until": self._omni_dt(order.omni_reserved_until),
            "partner": order.partner_id.name or "",
            "email": order.partner_id.email or "",
            "phone": order.partner_id.phone or order.partner_id.mobile or "",
            "id_check": order.omni_id_check,
            "paid": paid,
            "amount_total": order.amount_total,
            "currency": order.currency_id.symbol,
            "picking": picking.name,
            "lines": lines,
        }

    def omni_handover(self, order_id, quantities, key, payment_method_id=False, id_checked=False):
        """Hand a pickup over: validate the store's pickup picking with what the customer takes
        (never a second picking), cancel and refund what they refuse, take the payment when the
        order is to be paid in store. Idempotent for ``key``; a second handover of the same
        order with another key is refused ("already collected").

        :param quantities: {sale line id: quantity taken}
        :return: dict with the receipt of the POS order (if any) and the handover summary
        """
        config, warehouse, _node = self._omni_store()
        order = self._omni_order_of_store(order_id, warehouse)
        done = order.omni_operation_ids.filtered(lambda op: op.kind == "handover")
        if not done:
            self._omni_check_handover(order, warehouse, id_checked)
        order._omni_lock()
        operation, created = (
            self.env["omni.pos.operation"].sudo()._omni_claim("handover", key, config, order)
        )
        if not created:
            if operation.key == key:
                return operation.result
            raise UserError(self.env._("%(order)s was already collected.", order=order.name))
        return self._omni_do_handover(
            config, warehouse, order, operation, quantities, payment_method_id
        )

    def _omni_check_handover(self, order, warehouse, id_checked):
        if order.state != "sale":
            raise UserError(self.env._("%(order)s cannot be handed over.", order=order.name))
        if (
            order.omni_mode == "reserve"
            and order.omni_reserved_until
            and order.omni_reserved_until < fields.Datetime.now()
        ):
            raise UserError(self.env._("The reservation of %(order)s expired.", order=order.name))
        if order.omni_id_check and not id_checked:
            raise UserError(self.env._("Check the customer's identity first."))
        picking = self._omni_pickup_picking(order, warehouse)[:1]
        if not picking or picking.state != "assigned":
            raise UserError(self.env._("%(order)s is not ready for pickup yet.", order=order.name))
        return picking

    def _omni_do_handover(
        self, config, warehouse, order, operation, quantities, payment_method_id
    ):
        # checked again under the order's lock (a no-show cancellation may have run meanwhile)
        picking = self._omni_check_handover(order, warehouse, id_checked=True)
        quantities = {int(k): float(v) for k, v in (quantities or {}).items()}
        taken, refused = {}, {}
        for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            line = move.sale_line_id
            qty = min(max(quantities.get(line.id, 0.0), 0.0), move.product_uom_qty)
            rounding = move.product_uom.rounding
            move.quantity = qty
            move.picked = not float_is_zero(qty, precision_rounding=rounding)
            if qty:
                taken[line] = taken.get(line, 0.0) + qty
            rest = move.product_uom_qty - qty
            if float_compare(rest, 0, precision_rounding=rounding) > 0:
                refused[line] = refused.get(line, 0.0) + rest
        if not taken:
            raise UserError(self.env._("Hand over at least one item, or cancel the order."))
        # picked_up is written below, with what was taken and refused
        picking.with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=picking.ids,
            skip_sms=True,
            omni_timeline_skip=("picked_up",),
        ).button_validate()
        paid = order._omni_paid_online()
        pos_order = refund = self.env["pos.order"]
        if not paid:
            method = self._omni_payment_method(config, payment_method_id)
            session = self._omni_session(config)
            pos_order = (
                self.env["pos.order"]
                .sudo()
                ._omni_create_paid(
                    session,
                    order.partner_id,
                    [(line, line.product_id, qty) for line, qty in taken.items()],
                    method,
                    "pickup",
                    order,
                )
            )
            order._omni_timeline("paid", note=pos_order.name, document=pos_order)
        elif refused:
            refund = order._omni_refund(refused, self.env._("Refused at pickup"))
        note = ", ".join(
            f"{qty:g} × {line.product_id.display_name}" for line, qty in taken.items()
        )
        if refused:
            note += " | " + self.env._(
                "refused: %(items)s",
                items=", ".join(
                    f"{qty:g} × {line.product_id.display_name}" for line, qty in refused.items()
                ),
            )
        order._omni_timeline("picked_up", note=note[:250], document=picking)
        order.message_post(
            body=self.env._(
                "Handed over at %(store)s by %(user)s: %(items)s",
                store=config.name,
                user=self.env.user.name,
                items=note,
            )
        )
        result = {
            "order": order.name,
            "picking": picking.name,
            "paid_online": paid,
            "refund": refund.name if refund else False,
            "receipt": pos_order._omni_receipt()
            if pos_order
            else self._omni_sale_receipt(order, taken),
        }
        operation.write(
            {
                "pos_order_id": pos_order.id,
                "picking_id": picking.id,
                "refund_move_id": refund.id,
                "result": result,
            }
        )
        return result

    def _omni_sale_receipt(self, order, taken):
        return {
            "name": order.name,
            "pos_reference": "",
            "date": fields.Datetime.to_string(fields.Datetime.now()),
            "partner": order.partner_id.name or "",
            "lines": [
                {
                    "product": line.product_id.display_name,
                    "qty": qty,
                    "price": line.price_total / line.product_uom_qty * qty
                    if line.product_uom_qty
                    else 0.0,
                }
                for line, qty in taken.items()
            ],
            "total": 0.0,
            "tax": 0.0,
            "payments": [{"method": self.env._("Paid online"), "amount": order.amount_total}],
            "currency": order.currency_id.symbol,
        }

    def _omni_payment_method(self, config, payment_method_id):
        method = config.payment_method_ids.filtered(lambda m: m.id == int(payment_method_id or 0))
        if not method:
            raise UserError(self.env._("Choose a payment method of this POS."))
        return method

    # === 3. RETURNS OF ONLINE ORDERS === #

    def omni_return_search(self, query):
        """Online orders (any store, any channel) with delivered, not yet returned goods."""
        self._omni_store()
        domain = expression.AND(
            [
                [("state", "=", "sale"), ("order_line.qty_delivered", ">", 0)],
                self._omni_search_domain(query) or [("id", "=", 0)],
            ]
        )
        orders = self.env["sale.order"].sudo().search(domain, limit=20, order="date_order desc")
        reasons = self.env["omni.return.reason"].search_read([], ["name", "damaged"])
        return {
            "reasons": reasons,
            "orders": [
                {
                    "id": order.id,
                    "name": order.name,
                    "ref": order.client_order_ref or "",
                    "partner": order.partner_id.name or "",
                    "email": order.partner_id.email or "",
                    "paid_online": bool(
                        order._omni_paid_online()
                        or order.invoice_ids.filtered(lambda m: m.state == "posted")
                    ),
                    "lines": [
                        {
                            "id": line.id,
                            "product": line.product_id.display_name,
                            "barcode": line.product_id.barcode or "",
                            "returnable": line.qty_delivered,
                            "price": line.price_total / line.product_uom_qty
                            if line.product_uom_qty
                            else 0.0,
                        }
                        for line in order.order_line
                        if line.product_id.is_storable and line.qty_delivered > 0
                    ],
                }
                for order in orders
            ],
        }

    def omni_return(
        self,
        order_id,
        lines,
        key,
        destination="stock",
        refund="credit_note",
        payment_method_id=False,
    ):
        """Take goods of an online order back at this store.

        :param lines: [{"line_id", "qty", "reason_id"}]; never more than delivered and not
            yet returned
        :param destination: "stock" (sellable at this store) or "damaged"
        :param refund: "credit_note" (to the original payment) or "pos" (a POS refund)
        """
        config, warehouse, _node = self._omni_store()
        order = self.env["sale.order"].sudo().browse(int(order_id)).exists()
        if not order:
            raise UserError(self.env._("This order does not exist any more."))
        order._omni_lock()
        operation, created = (
            self.env["omni.pos.operation"].sudo()._omni_claim("return", key, config, order)
        )
        if not created:
            return operation.result
        wanted = {}
        for item in lines or []:
            qty = float(item.get("qty") or 0.0)
            if qty <= 0:
                continue
            line = order.order_line.filtered(lambda ln, i=item: ln.id == int(i["line_id"]))
            if not line:
                raise UserError(
                    self.env._("This line is not part of %(order)s.", order=order.name)
                )
            reason = (
                self.env["omni.return.reason"].browse(int(item.get("reason_id") or 0)).exists()
            )
            if not reason:
                raise UserError(self.env._("Give a reason for each returned line."))
            wanted[line] = (wanted.get(line, (0.0, reason))[0] + qty, reason)
        if not wanted:
            raise UserError(self.env._("Choose what the customer brings back."))
        for line, (qty, _reason) in wanted.items():
            if (
                float_compare(
                    qty, line.qty_delivered, precision_rounding=line.product_uom.rounding
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "At most %(qty)s × %(product)s can be returned.",
                        qty=line.qty_delivered,
                        product=line.product_id.display_name,
                    )
                )
        dest = (
            warehouse.lot_stock_id
            if destination == "stock"
            else warehouse._omni_damaged_location()
        )
        customer = self.env.ref("stock.stock_location_customers")
        picking_type = warehouse.in_type_id
        moves = []
        for line, (qty, reason) in wanted.items():
            origin = line.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            )[:1]
            moves.append(
                Command.create(
                    {
                        "name": line.product_id.display_name,
                        "product_id": line.product_id.id,
                        "product_uom_qty": qty,
                        "product_uom": line.product_uom.id,
                        "location_id": customer.id,
                        "location_dest_id": dest.id,
                        "sale_line_id": line.id,
                        "to_refund": True,
                        "origin_returned_move_id": origin.id,
                        "omni_return_reason_id": reason.id,
                        "group_id": order.procurement_group_id.id,
                        "company_id": order.company_id.id,
                    }
                )
            )
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": customer.id,
                    "location_dest_id": dest.id,
                    "partner_id": order.partner_shipping_id.id,
                    "origin": self.env._("Return of %(order)s", order=order.name),
                    "group_id": order.procurement_group_id.id,
                    "company_id": order.company_id.id,
                    "move_ids": moves,
                }
            )
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        # returned is written below, with the store and the reasons
        picking.with_context(skip_sms=True, omni_timeline_skip=("returned",))._action_done()
        quantities = {line: qty for line, (qty, _r) in wanted.items()}
        pos_order = refund_move = self.env["pos.order"]
        if refund == "pos":
            method = self._omni_payment_method(config, payment_method_id)
            pos_order = (
                self.env["pos.order"]
                .sudo()
                ._omni_create_paid(
                    self._omni_session(config),
                    order.partner_id,
                    [(line, line.product_id, -qty) for line, qty in quantities.items()],
                    method,
                    "return",
                    order,
                )
            )
        else:
            refund_move = order._omni_refund(quantities, self.env._("Returned at the store"))
        reasons = ", ".join(
            f"{qty:g} × {line.product_id.display_name} ({reason.name})"
            for line, (qty, reason) in wanted.items()
        )
        order._omni_timeline(
            "returned",
            note=self.env._("At %(store)s: %(items)s", store=config.name, items=reasons)[:250],
            document=picking,
        )
        result = {
            "order": order.name,
            "picking": picking.name,
            "refund": refund_move.name if refund_move else False,
            "receipt": pos_order._omni_receipt() if pos_order else False,
        }
        operation.write(
            {
                "pos_order_id": pos_order.id,
                "picking_id": picking.id,
                "refund_move_id": refund_move.id,
                "result": result,
            }
        )
        return result

    # === 4. STORE PICKING === #

    def omni_store_tasks(self):
        """Ship-from-store and pickup-preparation pickings of this store, oldest first."""
        config, warehouse, node = self._omni_store()
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    ("picking_type_id", "=", warehouse.out_type_id.id),
                    ("state", "in", ("assigned", "confirmed", "waiting")),
                    ("sale_id", "!=", False),
                    ("omni_store_packed", "=", False),
                ],
                order="create_date asc, id asc",
            )
        )
        now = fields.Datetime.now()
        result = []
        for picking in pickings:
            order = picking.sale_id
            limit = node.start_limit_hours if node else 0.0
            deadline = (
                fields.Datetime.add(picking.create_date, hours=limit)
                if limit
                else picking.scheduled_date
            )
            result.append(
                {
                    "id": picking.id,
                    "name": picking.name,
                    "order": order.name,
                    "partner": order.partner_id.name or "",
                    "kind": "pickup" if order.omni_mode in ("collect", "reserve") else "ship",
                    "state": picking.state,
                    "created": self._omni_dt(picking.create_date),
                    "deadline": self._omni_dt(deadline),
                    "seconds_left": int((deadline - now).total_seconds()) if deadline else 0,
                    "carrier": picking.carrier_id.name or "",
                    "lines": self._omni_task_lines(picking),
                }
            )
        return {
            "tasks": result,
            "reasons": self.env["omni.reject.reason"].search_read([], ["name"]),
            "packed": self._omni_packed_shipments(warehouse),
        }

    @api.model
    def _omni_packed_shipments(self, warehouse):
        """Ship-from-store transfers packed in the last day: their label can be (re)printed."""
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    ("picking_type_id", "=", warehouse.out_type_id.id),
                    ("state", "=", "done"),
                    ("sale_id", "!=", False),
                    ("sale_id.omni_mode", "not in", ("collect", "reserve")),
                    ("date_done", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=1)),
                ],
                order="date_done desc, id desc",
                limit=20,
            )
        )
        return [
            {
                "id": picking.id,
                "name": picking.name,
                "order": picking.sale_id.name,
                "partner": picking.partner_id.name or "",
                "carrier": picking.carrier_id.name or "",
                "label": picking.omni_shipment_ids.filtered(lambda s: s.kind == "outbound")[
                    :1
                ].state
                or "",
            }
            for picking in pickings
        ]

    @api.model
    def _omni_task_lines(self, picking):
        return [
            {
                "move_id": move.id,
                "product": move.product_id.display_name,
                "barcode": move.product_id.barcode or "",
                "code": move.product_id.default_code or "",
                "qty": move.product_uom_qty,
                "scanned": move.omni_scanned_qty,
            }
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        ]

    def _omni_task(self, picking_id, warehouse):
        picking = self.env["stock.picking"].sudo().browse(int(picking_id)).exists()
        if not picking or picking.picking_type_id != warehouse.out_type_id:
            raise AccessError(self.env._("This task is not one of this store."))
        if picking.state in ("done", "cancel"):
            raise UserError(self.env._("%(picking)s is already closed.", picking=picking.name))
        return picking

    def omni_task_scan(self, picking_id, code):
        """One scanned unit: refused when the product is not in the task or already complete.

        :return: {"ok": bool, "message": str, "lines": [...]}
        """
        _config, warehouse, _node = self._omni_store()
        picking = self._omni_task(picking_id, warehouse)
        code = (code or "").strip()
        moves = picking.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
            and code
            and code in (m.product_id.barcode, m.product_id.default_code)
        )
        if not moves:
            return {
                "ok": False,
                "message": self.env._(
                    "%(code)s is not part of %(picking)s.", code=code, picking=picking.name
                ),
                "lines": self._omni_task_lines(picking),
            }
        move = next(
            (
                m
                for m in moves
                if float_compare(
                    m.omni_scanned_qty + 1,
                    m.product_uom_qty,
                    precision_rounding=m.product_uom.rounding,
                )
                <= 0
            ),
            None,
        )
        if not move:
            return {
                "ok": False,
                "message": self.env._(
                    "All %(product)s of %(picking)s are already picked.",
                    product=moves[0].product_id.display_name,
                    picking=picking.name,
                ),
                "lines": self._omni_task_lines(picking),
            }
        move.omni_scanned_qty += 1
        return {
            "ok": True,
            "message": move.product_id.display_name,
            "lines": self._omni_task_lines(picking),
        }

    def omni_task_done(self, picking_id):
        """Everything scanned: pack. Ship-from-store is validated (the carrier label is
        requested by omni_carrier); a pickup stays reserved for the customer's handover."""
        _config, warehouse, _node = self._omni_store()
        picking = self._omni_task(picking_id, warehouse)
        moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        missing = moves.filtered(
            lambda m: float_compare(
                m.omni_scanned_qty, m.product_uom_qty, precision_rounding=m.product_uom.rounding
            )
            < 0
        )
        if missing:
            raise UserError(
                self.env._(
                    "Scan every item first, or report what cannot be fulfilled: %(products)s",
                    products=", ".join(missing.product_id.mapped("display_name")),
                )
            )
        if picking.state != "assigned":
            raise UserError(self.env._("%(picking)s has no reserved stock.", picking=picking.name))
        order = picking.sale_id
        for move in moves:
            move.quantity = move.omni_scanned_qty
            move.picked = True
        result = {"picking": picking.name, "label": False}
        if order.omni_mode in ("collect", "reserve"):
            picking.omni_store_packed = True
            order._omni_timeline("packed", note=picking.name, document=picking)
            order._omni_check_pickup_ready()
            return result
        # packed first: validating ships it (omni_order writes shipped, or the carrier)
        order._omni_timeline("packed", note=picking.name, document=picking)
        picking.with_context(skip_sms=True).button_validate()
        shipment = picking.omni_shipment_ids.filtered(lambda s: s.kind == "outbound")[:1]
        if shipment:
            result["label"] = {"shipment": shipment.name, "state": shipment.state}
        return result

    def omni_task_label(self, picking_id):
        """The carrier label of a packed ship-from-store picking, through omni_carrier's
        shipment flow: requested once (the outbox row and its queue job), printable once
        the carrier answered.

        :return: ``_omni_label_info`` of the picking's shipment
        """
        _config, warehouse, _node = self._omni_store()
        picking = self.env["stock.picking"].sudo().browse(int(picking_id)).exists()
        if not picking or picking.picking_type_id != warehouse.out_type_id:
            raise AccessError(self.env._("This task is not one of this store."))
        if not self._omni_has_carrier(picking):
            return self._omni_label_info(picking, self.env["omni.carrier.shipment"])
        if picking.state != "done":
            raise UserError(
                self.env._("Pack %(picking)s before printing its label.", picking=picking.name)
            )
        shipment = picking.omni_shipment_ids.filtered(
            lambda s: s.kind == "outbound" and s.state not in ("voiding", "voided")
        )[:1]
        if not shipment:
            shipment = picking._omni_request_shipment()[:1]
        return self._omni_label_info(picking, shipment)

    def omni_task_reject(self, picking_id, reason_id):
        """Cannot fulfil: the remaining quantity goes back to Omni's re-routing."""
        _config, warehouse, _node = self._omni_store()
        picking = self._omni_task(picking_id, warehouse)
        reason = self.env["omni.reject.reason"].browse(int(reason_id or 0)).exists()
        if not reason:
            raise UserError(self.env._("Give the reason why the store cannot fulfil this."))
        picking._omni_reject(reason)
        return {"picking": picking.name, "order": picking.sale_id.name}

    # === 5. ENDLESS AISLE === #

    def omni_aisle_search(self, query):
        """Products with this store's stock and the network's availability (the same
        computation as the availability API)."""
        config, _warehouse, node = self._omni_store()
        query = (query or "").strip()
        if not query:
            return []
        products = self.env["product.product"].search(
            [
                ("is_storable", "=", True),
                "|",
                "|",
                ("name", "ilike", query),
                ("default_code", "=", query),
                ("barcode", "=", query),
            ],
            limit=20,
        )
        nodes = (
            self.env["omni.fulfilment.node"]
            .sudo()
            .search([("company_id", "=", config.company_id.id)])
        )
        availability = nodes._omni_availability(products, config.crm_team_id or None)
        result = []
        for product, avail in zip(products, availability, strict=True):
            here = sum(n["available"] for n in avail["nodes"] if node and n["node"] == node.name)
            result.append(
                {
                    "id": product.id,
                    "name": product.display_name,
                    "code": product.default_code or "",
                    "price": product.lst_price,
                    "here": here,
                    "network": avail["available"] - here,
                    # where the network has it (the availability API's per-node figures)
                    "nodes": [
                        {"node": n["node"], "kind": n["kind"], "available": n["available"]}
                        for n in avail["nodes"]
                        if not (node and n["node"] == node.name)
                    ],
                }
            )
        return result

    def omni_aisle_order(self, partner_id, lines, mode, key, payment_method_id):
        """Sell what this store lacks: a sale order sourced by Omni over the network (home
        delivery or pickup at this store later), paid now at the POS."""
        config, _warehouse, node = self._omni_store()
        operation, created = (
            self.env["omni.pos.operation"].sudo()._omni_claim("aisle", key, config)
        )
        if not created:
            return operation.result
        partner = self.env["res.partner"].sudo().browse(int(partner_id or 0)).exists()
        if not partner:
            raise UserError(self.env._("Choose the customer the order goes to."))
        if mode == "home" and not (partner.street and partner.city):
            raise UserError(self.env._("The customer needs an address for home delivery."))
        method = self._omni_payment_method(config, payment_method_id)
        session = self._omni_session(config)
        vals = {
            "partner_id": partner.id,
            "company_id": config.company_id.id,
            "team_id": config.crm_team_id.id,
            "omni_mode": "collect" if mode == "collect" else "home",
            "omni_pickup_node_id": node.id if mode == "collect" else False,
            "origin": config.name,
            "order_line": [
                Command.create(
                    {"product_id": int(item["product_id"]), "product_uom_qty": float(item["qty"])}
                )
                for item in lines or []
                if float(item.get("qty") or 0) > 0
            ],
        }
        if not vals["order_line"]:
            raise UserError(self.env._("Add at least one product."))
        order = self.env["sale.order"].sudo().create(vals)
        order.action_confirm()
        if order.state != "sale":
            raise UserError(
                self.env._(
                    "The network cannot deliver this order: %(why)s",
                    why=order.omni_sourcing_message or "",
                )
            )
        pos_order = (
            self.env["pos.order"]
            .sudo()
            ._omni_create_paid(
                session,
                partner,
                [(line, line.product_id, line.product_uom_qty) for line in order.order_line],
                method,
                "aisle",
                order,
            )
        )
        order._omni_timeline("paid", note=pos_order.name, document=pos_order)
        if mode == "collect":
            fulfilment = self.env._("Pickup later at %(store)s", store=config.name)
        else:
            address = ", ".join(
                filter(None, [partner.street, f"{partner.zip or ''} {partner.city or ''}".strip()])
            )
            fulfilment = self.env._("Home delivery to %(address)s", address=address)
        order.message_post(
            body=self.env._(
                "Sold at %(store)s by %(user)s (endless aisle), paid with %(pos_order)s. "
                "%(fulfilment)s",
                store=config.name,
                user=self.env.user.name,
                pos_order=pos_order.name,
                fulfilment=fulfilment,
            )
        )
        receipt = dict(pos_order._omni_receipt(), omni_order=order.name, fulfilment=fulfilment)
        result = {"order": order.name, "mode": order.omni_mode, "receipt": receipt}
        operation.write(
            {"sale_order_id": order.id, "pos_order_id": pos_order.id, "result": result}
        )
        return result

    # === 6. CARRIER LABELS AT THE STORE (omni_carrier) === #

    def omni_return_label(self, order_id):
        """A return label at the counter, for a customer who sends goods of an online order
        back by parcel (or after an in-store return of part of it): omni_carrier's
        ``_omni_create_return_label`` on the order's delivered parcel transfers; asking twice
        reuses the label.

        :return: {"order": name, "labels": [``_omni_label_info``]}
        """
        self._omni_store()
        order = self.env["sale.order"].sudo().browse(int(order_id or 0)).exists()
        if not order:
            raise UserError(self.env._("This order does not exist any more."))
        delivered = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        if not delivered:
            raise UserError(
                self.env._(
                    "%(order)s has no delivered parcel: nothing to send back by parcel.",
                    order=order.name,
                )
            )
        pickings = delivered.filtered(self._omni_has_carrier)
        if not pickings:
            raise UserError(
                self.env._(
                    "%(order)s was not shipped with a carrier connected to Omni, so no return "
                    "label can be created here. Take the goods back as an in-store return.",
                    order=order.name,
                )
            )
        known = pickings.omni_shipment_ids.filtered(lambda s: s.kind == "return")
        shipments = pickings._omni_create_return_label()
        new = shipments - known
        if new:
            order.message_post(
                body=self.env._(
                    "Return label %(labels)s requested at %(store)s by %(user)s.",
                    labels=", ".join(new.mapped("name")),
                    store=self.sudo().name,
                    user=self.env.user.name,
                )
            )
        return {
            "order": order.name,
            "labels": [self._omni_label_info(s.picking_id, s) for s in shipments],
        }

    @api.model
    def _omni_has_carrier(self, picking):
        carrier = picking.carrier_id
        return bool(carrier.omni_account_id and carrier.delivery_type in OMNI_TYPES)

    @api.model
    def _omni_label_info(self, picking, shipment):
        """What the POS shows for one label: state, a sentence, and the PDF's URL when ready."""
        info = {
            "picking": picking.name,
            "shipment": shipment.name or "",
            "kind": shipment.kind or "outbound",
            "state": shipment.state or "no_carrier",
            "tracking": shipment.tracking_ref or "",
            "url": False,
        }
        if not shipment:
            info["message"] = self.env._(
                "%(picking)s has no carrier connected to Omni (%(carrier)s): print its label "
                "in the carrier's own portal, or set an Omni carrier on the transfer.",
                picking=picking.name,
                carrier=picking.carrier_id.name or self.env._("none"),
            )
        elif shipment.state == "queued":
            info["message"] = self.env._(
                "Label %(label)s requested: waiting for %(carrier)s. Try again in a moment.",
                label=shipment.name,
                carrier=shipment.carrier_id.name,
            )
        elif shipment.state == "done":
            pdfs = shipment.label_attachment_ids.filtered(
                lambda a: a.mimetype == "application/pdf"
            )
            if pdfs:
                info["url"] = self._omni_pdf_url(shipment.name, pdfs)
                info["message"] = self.env._(
                    "Label %(label)s ready (tracking %(tracking)s).",
                    label=shipment.name,
                    tracking=shipment.tracking_ref or "",
                )
            else:
                info["message"] = self.env._(
                    "Label %(label)s was created without a PDF (tracking %(tracking)s): "
                    "print it from the carrier's portal or the label printer.",
                    label=shipment.name,
                    tracking=shipment.tracking_ref or "",
                )
        else:
            info["message"] = shipment.error_message or self.env._(
                "Label %(label)s: %(state)s.",
                label=shipment.name,
                state=dict(shipment._fields["state"]._description_selection(self.env)).get(
                    shipment.state
                ),
            )
        return info

    @api.model
    def _omni_pdf_url(self, name, pdfs):
        """One PDF of the labels, readable by the store user who asked (its creator)."""
        raw = pdfs.raw if len(pdfs) == 1 else merge_pdf([a.raw for a in pdfs])
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": f"{name}.pdf", "raw": raw, "mimetype": "application/pdf"})
        )
        return f"/web/content/{attachment.id}"

    @api.model
    def _omni_new_key(self):
        return str(uuid.uuid4())

    @api.model
    def _omni_load_store_demo(self):
        from ..demo_loader import load_store_demo

        load_store_demo(self.env)
