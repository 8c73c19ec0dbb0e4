from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

NODE_KINDS = [
    ("dc", "Distribution centre"),
    ("store", "Store"),
    ("supplier", "Drop-ship supplier"),
]


class OmniFulfilmentNode(models.Model):
    """A place an order can be served from: a warehouse (DC or store) or a drop-ship supplier."""

    _name = "omni.fulfilment.node"
    _description = "Omni Fulfilment Node"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(NODE_KINDS, required=True, default="store")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", check_company=True, index=True, ondelete="restrict"
    )
    location_id = fields.Many2one(related="warehouse_id.lot_stock_id", string="Stock Location")
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", help="The vendor that ships drop-ship orders."
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    ships_to_customer = fields.Boolean(string="Ships to Customers", default=True)
    pickup_point = fields.Boolean(string="Pickup Point (Click & Collect)")
    reservations = fields.Boolean(string="Reservations (Click & Reserve)")
    reservation_hours = fields.Float(
        default=48.0, help="How long a click & reserve order is held before it is released."
    )
    service_product_ids = fields.Many2many(
        "product.product",
        string="Services Offered",
        domain=[("type", "=", "service")],
        help="Service products (e.g. assembly) that only this node can provide.",
    )
    daily_capacity = fields.Integer(help="Orders this node can take per day; 0 means unlimited.")
    cost_per_shipment = fields.Float()
    start_limit_hours = fields.Float(
        string="Start Within (hours)",
        help="A picking not started within this time is re-routed to another node; 0 = never.",
    )
    safety_stock_ids = fields.One2many("omni.node.safety.stock", "node_id", string="Safety Stock")
    supplier_stock_ids = fields.One2many("omni.supplier.stock", "node_id", string="Supplier Stock")
    feed_ids = fields.One2many("omni.supplier.feed", "node_id", string="Stock Feeds")
    block_ids = fields.One2many("omni.stock.block", "node_id", string="Blocked Stock")

    _sql_constraints = [
        ("warehouse_uniq", "unique(warehouse_id)", "A warehouse can be only one node."),
    ]

    # === CONSTRAINT METHODS === #

    @api.constrains("kind", "warehouse_id", "partner_id")
    def _check_kind_links(self):
        for node in self:
            if node.kind in ("dc", "store") and not node.warehouse_id:
                raise ValidationError(
                    self.env._("Node %(node)s needs a warehouse.", node=node.name)
                )
            if node.kind == "supplier" and not node.partner_id:
                raise ValidationError(
                    self.env._("Supplier node %(node)s needs a supplier.", node=node.name)
                )

    # === BUSINESS METHODS === #

    def _omni_stock_snapshot(self, products, team=None, lock=False):
        """Available quantity per (node id, product id) for ``products`` over ``self``.

        One query per kind of data, whatever the number of nodes and products: quants (with a
        blocking, id-ordered row lock when ``lock``: see RELIABILITY.md B2), supplier feed,
        safety stock, blocked stock.

        :return: dict (node id, product id) -> dict(on_hand, reserved, safety, blocked,
            available)
        """
        nodes = self
        product_ids = list(products.ids)
        result = {}
        if not nodes or not product_ids:
            return result
        warehouse_nodes = {n.warehouse_id.id: n.id for n in nodes if n.kind != "supplier"}
        cr = self.env.cr
        for model in (
            "stock.quant",
            "stock.location",
            "omni.supplier.stock",
            "omni.node.safety.stock",
            "omni.stock.block",
            "omni.sourcing.assignment",
        ):
            self.env[model].flush_model()
        if warehouse_nodes:
            if lock:
                # Blocking row locks, ordered by id, on every quant we may consume, taken before
                # the availability is read: a concurrent confirmation waits here, then gets a
                # serialization failure and is retried with a fresh snapshot.
                cr.execute(
                    SQL(
                        """
                        SELECT q.id
                          FROM stock_quant q
                          JOIN stock_location l ON l.id = q.location_id
                         WHERE q.product_id = ANY(%s) AND l.usage = 'internal'
                           AND l.warehouse_id = ANY(%s)
                      ORDER BY q.id
                           FOR NO KEY UPDATE OF q
                        """,
                        product_ids,
                        list(warehouse_nodes),
                    )
                )
            cr.execute(
                SQL(
                    """
                    SELECT l.warehouse_id, q.product_id, SUM(q.quantity), SUM(q.reserved_quantity)
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id
                     WHERE q.product_id = ANY(%s) AND l.usage = 'internal'
                       AND l.warehouse_id = ANY(%s)
                  GROUP BY l.warehouse_id, q.product_id
                    """,
                    product_ids,
                    list(warehouse_nodes),
                )
            )
            for warehouse_id, product_id, on_hand, reserved in cr.fetchall():
                result[warehouse_nodes[warehouse_id], product_id] = {
                    "on_hand": on_hand or 0.0,
                    "reserved": reserved or 0.0,
                }
        supplier_nodes = [n.id for n in nodes if n.kind == "supplier"]
        if supplier_nodes:
            # only what the supplier can really be ordered for (a vendor price exists)
            cr.execute(
                SQL(
                    """
                    SELECT s.node_id, s.product_id, s.quantity
                      FROM omni_supplier_stock s
                      JOIN omni_fulfilment_node n ON n.id = s.node_id
                      JOIN product_product p ON p.id = s.product_id
                     WHERE s.node_id = ANY(%s) AND s.product_id = ANY(%s)
                       AND EXISTS (SELECT 1 FROM product_supplierinfo si
                                    WHERE si.partner_id = n.partner_id
                                      AND si.product_tmpl_id = p.product_tmpl_id)
                    """,
                    supplier_nodes,
                    product_ids,
                )
            )
            for node_id, product_id, qty in cr.fetchall():
                result[node_id, product_id] = {"on_hand": qty or 0.0, "reserved": 0.0}
        safety = self._omni_safety(product_ids, team)
        cr.execute(
            SQL(
                """
                SELECT node_id, product_id, SUM(quantity)
                  FROM omni_stock_block
                 WHERE active AND node_id = ANY(%s) AND product_id = ANY(%s)
              GROUP BY node_id, product_id
                """,
                list(nodes.ids),
                product_ids,
            )
        )
        blocked = {(n, p): q for n, p, q in cr.fetchall()}
        for key, values in result.items():
            values["safety"] = safety.get(key[0], 0.0)
            values["blocked"] = blocked.get(key, 0.0)
            values["available"] = max(
                0.0, values["on_hand"] - values["reserved"] - values["safety"] - values["blocked"]
            )
        return result

    def _omni_safety(self, product_ids, team):
        """Safety stock per node for ``team``: its own line, else the all-channel line."""
        self.env.cr.execute(
            SQL(
                """
                SELECT node_id, team_id, quantity
                  FROM omni_node_safety_stock
                 WHERE node_id = ANY(%s) AND (team_id IS NULL OR team_id = %s)
                """,
                list(self.ids),
                team.id if team else None,
            )
        )
        safety = {}
        for node_id, team_id, qty in self.env.cr.fetchall():
            if team_id or node_id not in safety:
                safety[node_id] = qty
        return safety

    def _omni_capacity_used(self):
        """Orders assigned to each node today (one query)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT node_id, COUNT(DISTINCT order_id)
                  FROM omni_sourcing_assignment
                 WHERE node_id = ANY(%s) AND state != 'rejected'
                   AND create_date >= date_trunc('day', now() AT TIME ZONE 'UTC')
              GROUP BY node_id
                """,
                list(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _omni_engine_nodes(self):
        from ..sourcing import Node

        used = self._omni_capacity_used()
        return [
            Node(
                id=node.id,
                name=node.name,
                kind=node.kind,
                lat=node.latitude if (node.latitude or node.longitude) else None,
                lon=node.longitude if (node.latitude or node.longitude) else None,
                ships=node.ships_to_customer,
                pickup=node.pickup_point,
                reserve=node.reservations,
                services=frozenset(node.service_product_ids.ids),
                capacity=float(node.daily_capacity),
                capacity_left=(
                    float(node.daily_capacity - used.get(node.id, 0))
                    if node.daily_capacity
                    else None
                ),
                cost=node.cost_per_shipment,
            )
            for node in self
        ]

    @api.model
    def _omni_node_of_warehouse(self, warehouses):
        return self.search([("warehouse_id", "in", warehouses.ids)])

    def _omni_availability(self, products, team=None):
        """ATP of ``products`` over these nodes for ``team``: network total and per node."""
        snapshot = self._omni_stock_snapshot(products, team=team)
        names = {node.id: node for node in self}
        by_product = {}
        for (node_id, product_id), values in sorted(snapshot.items()):
            if values["available"] > 0:
                by_product.setdefault(product_id, []).append(
                    {
                        "node": names[node_id].name,
                        "kind": names[node_id].kind,
                        "available": values["available"],
                    }
                )
        result = []
        for product in products:
            per_node = by_product.get(product.id, [])
            result.append(
                {
                    "product_id": product.id,
                    "sku": product.default_code or "",
                    "available": sum(n["available"] for n in per_node),
                    "nodes": per_node,
                }
            )
        return result

    @api.model
    def _omni_load_demo(self):
        from ..demo_loader import load_demo

        load_demo(self.env)
