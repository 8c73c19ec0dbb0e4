from collections import defaultdict
from datetime import timedelta

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, float_compare

from ..sourcing import Line, Request, SourcingEngine, zip_centroid
from .omni_order_event import TIMELINE_STEPS
from .omni_sla_policy import SLA_STATES
from .omni_sourcing_decision import DECISION_STATUS
from .omni_sourcing_rule import FULFILMENT_MODES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_event_ids = fields.One2many("omni.order.event", "order_id", string="Timeline")
    omni_step = fields.Selection(
        TIMELINE_STEPS,
        string="Current Step",
        compute="_compute_omni_step",
        search="_search_omni_step",
        help="The step of the latest timeline event.",
    )
    omni_step_since = fields.Datetime(string="In Step Since", compute="_compute_omni_step")
    omni_mode = fields.Selection(
        FULFILMENT_MODES, string="Fulfilment Mode", default="home", required=True
    )
    omni_pickup_node_id = fields.Many2one(
        "omni.fulfilment.node",
        string="Pickup Store",
        domain="[('kind', '=', 'store'), ('company_id', '=', company_id)]",
    )
    omni_sourcing_state = fields.Selection(
        [("none", "Not sourced")] + DECISION_STATUS,
        string="Sourcing",
        default="none",
        copy=False,
        readonly=True,
    )
    omni_sourcing_message = fields.Char(copy=False, readonly=True)
    omni_decision_ids = fields.One2many("omni.sourcing.decision", "order_id", string="Decisions")
    omni_assignment_ids = fields.One2many(
        "omni.sourcing.assignment", "order_id", string="Assignments"
    )
    omni_excluded_node_ids = fields.Many2many(
        "omni.fulfilment.node",
        "omni_order_excluded_node_rel",
        string="Excluded Nodes",
        copy=False,
        help="Nodes that rejected or did not start their part: not used again for this order.",
    )
    omni_reserved_until = fields.Datetime(copy=False, readonly=True)
    omni_pickup_ready = fields.Boolean(string="Ready for Pickup", copy=False, readonly=True)
    omni_intake_id = fields.Many2one(
        "omni.intake", string="Intake", copy=False, readonly=True, index="btree_not_null"
    )
    omni_sla_policy_id = fields.Many2one(
        "omni.sla.policy", string="SLA Policy", copy=False, readonly=True, index="btree_not_null"
    )
    omni_sla_deadline = fields.Datetime(string="SLA Deadline", copy=False, readonly=True)
    omni_sla_state = fields.Selection(
        SLA_STATES,
        string="SLA",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Set by the SLA cron from the timeline: on time, nearing the deadline (its "
        "pickings get priority), breached (flagged, the responsible gets an activity) or met.",
    )

    # === COMPUTE METHODS === #

    @api.depends("omni_event_ids.step", "omni_event_ids.date")
    def _compute_omni_step(self):
        latest = {}
        if self.ids:
            # one query for the whole recordset: the latest event per order
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (order_id) order_id, step, date
                      FROM omni_order_event
                     WHERE order_id = ANY(%s)
                  ORDER BY order_id, date DESC, id DESC
                    """,
                    list(self.ids),
                )
            )
            latest = {oid: (step, date) for oid, step, date in self.env.cr.fetchall()}
        for order in self:
            order.omni_step, order.omni_step_since = latest.get(order.id, (False, False))

    def _search_omni_step(self, operator, value):
        """Orders whose latest event has one of these steps (the events of those steps
        that no later event of their order follows: the (order_id, date, id) index)."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Operation not supported"))
        steps = [value] if isinstance(value, str) or not value else list(value)
        self.env["omni.order.event"].flush_model(["order_id", "step", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT e.order_id
                  FROM omni_order_event e
                 WHERE e.step = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM omni_order_event later
                                    WHERE later.order_id = e.order_id
                                      AND (later.date, later.id) > (e.date, e.id))
                """,
                [s for s in steps if s],
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", ids)]

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        self.env["omni.order.event"]._omni_record(orders, "received")
        return orders

    # === ACTIONS === #

    def action_confirm(self):
        to_source = self.filtered(
            lambda o: o.state in ("draft", "sent") and o._omni_uses_network()
        )
        held = to_source._omni_source("initial") if to_source else self.browse()
        todo = self - held
        res = True
        if todo:
            res = super(SaleOrder, todo).action_confirm()
            todo._omni_timeline("confirmed")
            (to_source - held)._omni_after_release()
        return res

    def _action_cancel(self):
        todo = self.filtered(lambda o: o.state != "cancel")
        res = super()._action_cancel()
        todo._omni_timeline("cancelled")
        return res

    def action_omni_resource(self):
        """Source again: a held order is confirmed anew; a confirmed order's unstarted
        pickings are cancelled and their quantities sourced again."""
        for order in self:
            if order.state in ("draft", "sent"):
                order.action_confirm()
                continue
            pickings = order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
                and p.picking_type_code == "outgoing"
                and not any(p.move_ids.mapped("picked"))
            )
            if pickings:
                pickings._omni_reject(reason=None, exclude=False)
            elif order.omni_sourcing_state == "held":
                order._omni_resource_unassigned()
        return True

    # === BUSINESS METHODS === #

    def _omni_timeline(self, step, note=None, document=None, date=None):
        """The one small API through which every module appends a timeline step."""
        return self.env["omni.order.event"]._omni_record(
            self, step, note=note, document=document, date=date
        )

    @api.model
    def _omni_orders_action(self, domain, name):
        """A window action on the orders of ``domain`` (dashboard drill-downs)."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "sale.order",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    def _omni_sla_notify(self):
        """One activity per breached order, for the responsible of its SLA policy."""
        for order in self:
            policy = order.omni_sla_policy_id
            if not policy:
                continue
            order.activity_schedule(
                "omni_order.mail_activity_type_sla_breach",
                date_deadline=fields.Date.context_today(order),
                summary=self.env._("SLA breached: %(policy)s", policy=policy.name),
                note=self.env._(
                    "%(order)s should have reached %(step)s by %(deadline)s.",
                    order=order.name,
                    step=dict(policy._fields["to_step"]._description_selection(self.env))[
                        policy.to_step
                    ],
                    deadline=fields.Datetime.to_string(order.omni_sla_deadline),
                ),
                user_id=policy._omni_responsible(order).id,
            )

    def _omni_uses_network(self):
        self.ensure_one()
        if self.env.context.get("omni_skip_sourcing"):
            return False
        return bool(
            self.env["omni.fulfilment.node"].search_count(
                [("company_id", "=", self.company_id.id)], limit=1
            )
        )

    def _omni_source(self, kind, remaining=None, note_entries=None):
        """Run the sourcing engine for ``self``; store decisions and assignments.

        Batched: whatever the number of orders, lines and nodes, one query per kind of data
        (nodes, rules, locked quants, supplier stock, safety, blocks, capacity).

        :param remaining: {sale.order.line: qty in product UoM} to source instead of the full
            lines (re-routing)
        :param note_entries: extra ``LogEntry`` to put first in each order's log
        :return: the orders that are held (nothing could serve them)
        """
        held = self.browse()
        for company in self.company_id:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            nodes = self.env["omni.fulfilment.node"].search([("company_id", "=", company.id)])
            ruleset = self.env["omni.sourcing.ruleset"]._omni_active(company)
            products = orders.order_line.product_id
            engine_nodes = nodes._omni_engine_nodes()
            services = set().union(*(n.services for n in engine_nodes)) if engine_nodes else set()
            engines = {}
            for team in orders.team_id or [self.env["crm.team"]]:
                snapshot = nodes._omni_stock_snapshot(products, team=team, lock=True)
                stock = {key: values["available"] for key, values in snapshot.items()}
                engines[team.id] = SourcingEngine(engine_nodes, stock)
            for order in orders:
                engine = engines.get(order.team_id.id) or next(iter(engines.values()))
                entries = list(note_entries or [])
                rule = ruleset._omni_match(order, order.omni_mode) if ruleset else ruleset
                request = order._omni_request(remaining, services)
                if not rule:
                    from ..sourcing import Decision, LogEntry

                    entries.append(
                        LogEntry("no_ruleset", {"company": company.name})
                        if not ruleset
                        else LogEntry("no_rule")
                    )
                    decision = Decision("held", log=[], reason="no_rule")
                else:
                    decision = engine.source(request, rule._omni_engine_rule())
                decision.log[:0] = entries
                order._omni_store_decision(decision, rule, kind)
                if decision.status == "held":
                    held |= order
                else:
                    order._omni_consume(engine, decision, request)
        return held

    def _omni_request(self, remaining, services):
        self.ensure_one()
        partner = self.partner_shipping_id
        lat = lon = None
        source, zone = "none", ""
        if partner.partner_latitude or partner.partner_longitude:
            lat, lon, source = partner.partner_latitude, partner.partner_longitude, "partner"
        else:
            centre = zip_centroid(partner.country_id.code, partner.zip)
            if centre:
                (lat, lon), source, zone = centre, "zip", (partner.zip or "")[:1]
        lines = []
        for line in self.order_line:
            product = line.product_id
            if line.display_type or not product:
                continue
            is_service = product.type == "service"
            if is_service and product.id not in services:
                continue
            if not is_service and not product.is_storable:
                continue
            if remaining is not None:
                if line not in remaining:
                    continue
                qty = remaining[line]
            else:
                qty = line.product_uom._compute_quantity(line.product_uom_qty, product.uom_id)
            unit_value = line.price_subtotal / line.product_uom_qty if line.product_uom_qty else 0
            lines.append(
                Line(
                    key=line.id,
                    product_id=product.id,
                    qty=qty,
                    unit_value=unit_value,
                    group=product.omni_ship_group or None,
                    service=is_service,
                    name=product.display_name,
                )
            )
        return Request(
            ref=self.name,
            lines=tuple(lines),
            lat=lat,
            lon=lon,
            location_source=source,
            zone=zone,
            mode=self.omni_mode,
            pickup_node_id=self.omni_pickup_node_id.id or None,
            excluded=frozenset(self.omni_excluded_node_ids.ids),
        )

    def _omni_store_decision(self, decision, rule, kind):
        self.ensure_one()
        log = self.env["omni.sourcing.decision"]._omni_render_log(decision.log)
        record = self.env["omni.sourcing.decision"].create(
            {
                "order_id": self.id,
                "kind": kind,
                "rule_id": rule.id if rule else False,
                "status": decision.status,
                "shipment_count": decision.shipment_count if decision.shipments else 0,
                "distance": decision.distance,
                "cost": decision.cost,
                "log": log,
            }
        )
        vals_list = []
        for shipment in decision.shipments:
            for key, qty in shipment.items:
                vals_list.append(
                    {
                        "decision_id": record.id,
                        "order_id": self.id,
                        "line_id": key,
                        "node_id": shipment.node_id,
                        "to_node_id": shipment.to_node_id or False,
                        "kind": shipment.kind,
                        "quantity": qty,
                    }
                )
        self.env["omni.sourcing.assignment"].create(vals_list)
        if decision.status == "held":
            message = self.env["omni.sourcing.decision"]._omni_held_message(decision.log)
        else:
            message = False
        self.write({"omni_sourcing_state": decision.status, "omni_sourcing_message": message})
        if decision.status == "held":
            self.message_post(body=message)
        else:
            nodes = self.env["omni.fulfilment.node"].browse(
                sorted({s.node_id for s in decision.shipments})
            )
            self._omni_timeline(
                "sourced",
                note=self.env._(
                    "%(count)s shipment(s) from %(nodes)s",
                    count=record.shipment_count,
                    nodes=", ".join(nodes.mapped("name")),
                ),
                document=record,
            )
        return record

    @staticmethod
    def _omni_consume(engine, decision, request):
        """Take what ``decision`` assigned out of the engine's snapshot, so that the next
        order of the same batch cannot get it again."""
        product_of = {line.key: line.product_id for line in request.lines if not line.service}
        transferred = defaultdict(float)
        for shipment in decision.shipments:
            if shipment.kind == "transfer":
                for key, qty in shipment.items:
                    transferred[key] += qty
        for shipment in decision.shipments:
            if shipment.kind != "pickup":
                engine.use_capacity(shipment.node_id)
            for key, qty in shipment.items:
                if key not in product_of:
                    continue
                if shipment.kind == "pickup":
                    # the store gives only what does not arrive by transfer
                    qty -= transferred.get(key, 0.0)
                if qty > 0:
                    engine.take(shipment.node_id, product_of[key], qty)

    def _omni_after_release(self):
        """After procurement: link pickings, create store transfers, tell the timeline."""
        for order in self:
            assignments = order.omni_assignment_ids.filtered(lambda a: a.state != "rejected")
            order._omni_create_transfers(assignments.filtered(lambda a: a.kind == "transfer"))
            order._omni_link_pickings(assignments.filtered(lambda a: not a.picking_id))
            # one event per picking a node got; pickings released before (re-routing
            # keeps the untouched ones) are not released again (idempotent per document)
            for picking in assignments.picking_id.sorted("id"):
                node = assignments.filtered(lambda a, p=picking: a.picking_id == p).node_id[:1]
                order._omni_timeline(
                    "released",
                    note=f"{picking.name} → {node.name}" if node else picking.name,
                    document=picking,
                )
            if order.omni_mode == "reserve":
                node = order.omni_pickup_node_id
                order.omni_reserved_until = fields.Datetime.now() + timedelta(
                    hours=node.reservation_hours or 48.0
                )
            if order.omni_mode in ("collect", "reserve"):
                order._omni_check_pickup_ready()

    def _omni_link_pickings(self, assignments):
        moves = self.order_line.move_ids.filtered(lambda m: m.state != "cancel")
        for assignment in assignments:
            if assignment.kind == "transfer":
                continue
            node = assignment.node_id
            for move in moves.filtered(lambda m, a=assignment: m.sale_line_id == a.line_id):
                if node.kind == "supplier":
                    match = move.location_id.usage == "supplier"
                else:
                    match = move.picking_type_id.warehouse_id == node.warehouse_id
                if match and move.picking_id:
                    assignment.write({"picking_id": move.picking_id.id, "state": "procured"})
                    break

    def _omni_create_transfers(self, assignments):
        """Click & collect: one transfer per source node into the pickup store, each move
        chained (``move_dest_ids``) into the order's pickup move at the store."""
        self.ensure_one()
        by_node = defaultdict(lambda: self.env["omni.sourcing.assignment"])
        for assignment in assignments.filtered(lambda a: not a.picking_id):
            by_node[assignment.node_id, assignment.to_node_id] |= assignment
        pickup_moves = self.order_line.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel") and m.picking_code == "outgoing"
        )
        for (node, to_node), group in by_node.items():
            source, dest = node.warehouse_id, to_node.warehouse_id
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": source.int_type_id.id,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": dest.lot_stock_id.id,
                    "origin": self.name,
                    "group_id": self.procurement_group_id.id,
                    "company_id": self.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": a.product_id.display_name,
                                "product_id": a.product_id.id,
                                "product_uom_qty": a.quantity,
                                "product_uom": a.product_id.uom_id.id,
                                "location_id": source.lot_stock_id.id,
                                "location_dest_id": dest.lot_stock_id.id,
                                "group_id": self.procurement_group_id.id,
                                "company_id": self.company_id.id,
                                # chained into the pickup: the unit received at the store is
                                # reserved for this order at once (Odoo assigns destination
                                # moves when the origin is done), no other order can take it
                                "move_dest_ids": [
                                    Command.link(move.id)
                                    for move in pickup_moves
                                    if move.sale_line_id == a.line_id
                                    and move.picking_type_id.warehouse_id == dest
                                ],
                                "propagate_cancel": False,
                            }
                        )
                        for a in group
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            group.write({"picking_id": picking.id, "state": "procured"})

    def _omni_pickup_scan_value(self):
        """What the QR code of the ready-for-pickup e-mail encodes, for the store to scan.
        Hook: False here; omni_store_pos returns the order's pickup code."""
        self.ensure_one()
        return False

    def _omni_pickup_qr_url(self):
        """Absolute URL of the QR code image in the ready-for-pickup e-mail (mail clients
        block inline data: images and Odoo sends no CID parts; the image is rendered by the
        public ``/report/barcode`` route of the order's website/base URL), or False."""
        self.ensure_one()
        value = self._omni_pickup_scan_value()
        if not value:
            return False
        query = url_encode(
            {"barcode_type": "QR", "value": value, "width": 200, "height": 200, "barLevel": "M"}
        )
        return f"{self.get_base_url()}/report/barcode/?{query}"

    def _omni_check_pickup_ready(self):
        """Ready for pickup when every transfer into the store is done and the pickup is
        reserved; then the customer is told once."""
        template = self.env.ref("omni_order.mail_template_ready_for_pickup", False)
        for order in self.filtered(lambda o: o.omni_mode in ("collect", "reserve")):
            if order.omni_pickup_ready or order.state != "sale":
                continue
            transfers = order.omni_assignment_ids.filtered(
                lambda a: a.kind == "transfer" and a.state != "rejected"
            ).picking_id
            if any(t.state != "done" for t in transfers):
                continue
            pickups = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
            if not pickups:
                continue
            waiting = pickups.filtered(lambda p: p.state in ("confirmed", "waiting"))
            if waiting:
                waiting.action_assign()
            if any(p.state != "assigned" for p in pickups):
                continue
            order.omni_pickup_ready = True
            order._omni_timeline(
                "ready_for_pickup", note=order.omni_pickup_node_id.name, document=pickups[:1]
            )
            if template:
                template.send_mail(order.id)

    def _omni_resource_unassigned(self):
        """A confirmed order that was held on re-routing: source what has no picking."""
        for order in self:
            remaining = {}
            for line in order.order_line.filtered(lambda ln: ln.product_id.is_storable):
                moves = line.move_ids.filtered(lambda m: m.state != "cancel")
                qty = line.product_uom_qty - sum(moves.mapped("product_uom_qty"))
                if float_compare(qty, 0, precision_rounding=line.product_uom.rounding) > 0:
                    remaining[line] = qty
            if remaining and not order._omni_source("manual", remaining=remaining):
                order.order_line._action_launch_stock_rule()
                order._omni_after_release()

    @api.model
    def _cron_omni_release_reservations(self, batch_size=100):
        """Cancel click & reserve orders whose reservation expired and tell the customer.

        Idempotent: a released order is cancelled, so a second run neither finds it nor
        mails again; orders already (partly) handed over are left alone by the search itself.
        Batched: at most ``batch_size`` orders per run; the cron is told what remains.
        """
        expired = self.search(
            [
                ("omni_mode", "=", "reserve"),
                ("state", "=", "sale"),
                ("omni_reserved_until", "<", fields.Datetime.now()),
                "!",
                ("picking_ids.state", "=", "done"),
            ],
            order="id",
            limit=batch_size + 1,
        )
        more, expired = len(expired) > batch_size, expired[:batch_size]
        template = self.env.ref("omni_order.mail_template_reservation_released", False)
        for order in expired:
            order._action_cancel()
            order.message_post(body=self.env._("The reservation expired and was released."))
            if template:
                template.send_mail(order.id)
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=int(more))
        return expired
