from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..sourcing import LogEntry


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_node_id = fields.Many2one(
        "omni.fulfilment.node", compute="_compute_omni_node_id", string="Fulfilment Node"
    )

    def _compute_omni_node_id(self):
        nodes = self.env["omni.fulfilment.node"].search(
            [("warehouse_id", "in", self.picking_type_id.warehouse_id.ids)]
        )
        by_warehouse = {n.warehouse_id.id: n for n in nodes}
        for picking in self:
            picking.omni_node_id = by_warehouse.get(picking.picking_type_id.warehouse_id.id, False)

    def _action_done(self):
        res = super()._action_done()
        self._omni_timeline_done()
        orders = self.filtered(lambda p: p.picking_type_code == "internal").sale_id
        orders.filtered(lambda o: o.omni_mode == "collect")._omni_check_pickup_ready()
        return res

    # === TIMELINE === #

    def _omni_timeline_done(self):
        """Write the step each validated picking makes happen, once per picking.

        A caller that writes the step itself, with more detail (the POS at a handover or a
        store return), names it in the context key ``omni_timeline_skip``.
        """
        skip = set(self.env.context.get("omni_timeline_skip") or ())
        for picking in self.filtered(lambda p: p.state == "done" and p.sale_id):
            step = picking._omni_done_step()
            if not step or step in skip:
                continue
            picking.sale_id._omni_timeline(step, note=picking.name, document=picking)

    def _omni_done_step(self):
        """The timeline step a done picking stands for, or False.

        - a return from the customer: ``returned``;
        - the delivery to the customer: ``picked_up`` for click & collect / reserve (the
          handover at the store), else ``shipped`` unless the carrier integration writes
          that itself when the label exists (``_omni_carrier_writes_shipped``). In a
          one-step warehouse this one validation is the pick, the pack and the shipping:
          only ``shipped`` is written, the SLA targets measure up to it;
        - the pick and pack pickings of a multi-step warehouse: ``picked`` / ``packed``.
        """
        self.ensure_one()
        code = self.picking_type_code
        if code == "incoming" and self.location_id.usage == "customer":
            return "returned"
        if code in ("outgoing", "dropship") and self.location_dest_id.usage == "customer":
            if self.sale_id.omni_mode in ("collect", "reserve"):
                return "picked_up"
            return False if self._omni_carrier_writes_shipped() else "shipped"
        warehouse = self.picking_type_id.warehouse_id
        if warehouse and warehouse.delivery_steps != "ship_only":
            if self.picking_type_id == warehouse.pick_type_id:
                return "picked"
            if self.picking_type_id == warehouse.pack_type_id:
                return "packed"
        return False

    def _omni_carrier_writes_shipped(self):
        """Hook: True when a carrier integration writes ``shipped`` for this picking (with
        the tracking number, once the label exists); omni_carrier overrides it."""
        self.ensure_one()
        return False

    def action_omni_reject(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking.omni.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_ids": self.ids},
        }

    def _omni_reject(self, reason, exclude=True):
        """The node gives back the undone part of these pickings: apply the reason's stock
        effect, cancel the moves and source the remaining quantity again (without the node
        when ``exclude``). Old pickings keep their cancelled moves; the new decision is logged
        next to the old one."""
        for picking in self:
            order = picking.sale_id
            if not order or picking.state in ("done", "cancel"):
                raise UserError(
                    self.env._("%(picking)s cannot be re-routed.", picking=picking.name)
                )
            node = picking.omni_node_id
            moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            assignments = order.omni_assignment_ids.filtered(
                lambda a, p=picking: a.picking_id == p and a.state == "procured"
            )
            transfers = assignments.filtered(lambda a: a.kind == "transfer")
            remaining = defaultdict(float)
            if transfers:
                # a click & collect transfer into the pickup store: its moves carry no sale
                # line; what it still owes the store is in its assignments
                for assignment in transfers:
                    remaining[assignment.line_id] += assignment.quantity
            for move in moves.filtered("sale_line_id"):
                remaining[move.sale_line_id] += move.product_qty
            moves._action_cancel()
            if reason and node:
                picking._omni_apply_stock_effect(reason, node, moves)
            assignments.write({"state": "rejected"})
            if exclude and node:
                order.omni_excluded_node_ids = [fields.Command.link(node.id)]
            products = ", ".join(sorted({line.product_id.display_name for line in remaining}))
            entry = LogEntry(
                "rejected",
                {
                    "node": node.name or picking.name,
                    "products": products,
                    "reason": reason.name if reason else self.env._("re-sourced"),
                },
            )
            kind = "reroute" if reason else "manual"
            active = order.omni_assignment_ids.filtered(lambda a: a.state != "rejected")
            held = remaining and order._omni_source(kind, dict(remaining), [entry])
            if transfers:
                # the pickup at the store stays as it is: the new decision's pickup part
                # names the same picking, so it is not kept twice
                new = order.omni_assignment_ids - active
                new.filtered(
                    lambda a, old=active: a.kind == "pickup"
                    and a.line_id in old.filtered(lambda o: o.kind == "pickup").line_id
                ).unlink()
            if remaining and not held:
                order.order_line.filtered(
                    lambda ln, r=remaining: ln in r
                )._action_launch_stock_rule()
                order._omni_after_release()
        return True

    def _omni_apply_stock_effect(self, reason, node, moves):
        self.ensure_one()
        if reason.stock_effect == "block":
            self.env["omni.stock.block"].create(
                [
                    {
                        "node_id": node.id,
                        "product_id": move.product_id.id,
                        "quantity": move.product_qty,
                        "reason_id": reason.id,
                        "picking_id": self.id,
                    }
                    for move in moves
                ]
            )
        elif reason.stock_effect == "scrap":
            for move in moves:
                scrap = self.env["stock.scrap"].create(
                    {
                        "product_id": move.product_id.id,
                        "scrap_qty": move.product_qty,
                        "product_uom_id": move.product_id.uom_id.id,
                        "location_id": node.warehouse_id.lot_stock_id.id,
                        "origin": self.name,
                        "company_id": self.company_id.id,
                    }
                )
                scrap.do_scrap()

    @api.model
    def _cron_omni_reroute_late(self, batch_size=100):
        """Pickings a node did not start within its time limit are re-routed.

        Idempotent: a re-routed picking is cancelled and its replacement is new, so a second
        run finds nothing. Batched: one search over every node (no query per node), at most
        ``batch_size`` pickings per run; the cron is told what remains and runs again.
        """
        reason = self.env.ref("omni_order.reject_reason_timeout", False)
        nodes = self.env["omni.fulfilment.node"].search(
            [("start_limit_hours", ">", 0), ("kind", "!=", "supplier")]
        )
        if not nodes:
            return self.browse()
        now = fields.Datetime.now()
        per_node = [
            [
                ("picking_type_id", "=", node.warehouse_id.out_type_id.id),
                ("create_date", "<", now - timedelta(hours=node.start_limit_hours)),
            ]
            for node in nodes
        ]
        domain = expression.AND(
            [
                [
                    ("state", "in", ("confirmed", "waiting", "assigned")),
                    ("sale_id.omni_sourcing_state", "!=", "none"),
                    "!",
                    ("move_ids.picked", "=", True),
                ],
                expression.OR(per_node),
            ]
        )
        late = self.search(domain, order="id", limit=batch_size + 1)
        more, late = len(late) > batch_size, late[:batch_size]
        if late:
            late._omni_reject(reason)
        self.env["ir.cron"]._notify_progress(done=len(late), remaining=int(more))
        return late
