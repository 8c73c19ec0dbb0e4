from odoo import fields, models, tools
from odoo.tools import SQL

from .omni_fulfilment_node import NODE_KINDS


class OmniNetworkStock(models.Model):
    """Product x node: on hand, reserved, incoming, safety, blocked, available (SQL view)."""

    _name = "omni.network.stock"
    _description = "Omni Network Stock"
    _auto = False
    _order = "product_id, node_id"

    product_id = fields.Many2one("product.product", readonly=True)
    node_id = fields.Many2one("omni.fulfilment.node", readonly=True)
    kind = fields.Selection(NODE_KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    on_hand = fields.Float(readonly=True)
    reserved = fields.Float(readonly=True)
    incoming = fields.Float(string="Incoming in Transit", readonly=True)
    safety = fields.Float(string="Safety Stock", readonly=True)
    blocked = fields.Float(readonly=True)
    available = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
            WITH stock AS (
                SELECT n.id AS node_id, q.product_id,
                       SUM(q.quantity) AS on_hand, SUM(q.reserved_quantity) AS reserved
                  FROM omni_fulfilment_node n
                  JOIN stock_location l ON l.warehouse_id = n.warehouse_id AND l.usage = 'internal'
                  JOIN stock_quant q ON q.location_id = l.id
              GROUP BY n.id, q.product_id
                 UNION ALL
                SELECT s.node_id, s.product_id, s.quantity, 0
                  FROM omni_supplier_stock s
            ), incoming AS (
                SELECT n.id AS node_id, m.product_id, SUM(m.product_qty) AS qty
                  FROM omni_fulfilment_node n
                  JOIN stock_location ld ON ld.warehouse_id = n.warehouse_id
                  JOIN stock_move m ON m.location_dest_id = ld.id
                  JOIN stock_location ls ON ls.id = m.location_id
                 WHERE m.state IN ('confirmed', 'waiting', 'partially_available', 'assigned')
                   AND ls.warehouse_id IS DISTINCT FROM n.warehouse_id
              GROUP BY n.id, m.product_id
            ), keys AS (
                SELECT node_id, product_id FROM stock
                 UNION
                SELECT node_id, product_id FROM incoming
            ), safety AS (
                SELECT node_id, MAX(quantity) AS qty FROM omni_node_safety_stock GROUP BY node_id
            ), blocked AS (
                SELECT node_id, product_id, SUM(quantity) AS qty
                  FROM omni_stock_block WHERE active GROUP BY node_id, product_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY k.product_id, k.node_id) AS id,
                   k.product_id, k.node_id, n.kind, n.company_id,
                   COALESCE(s.on_hand, 0) AS on_hand,
                   COALESCE(s.reserved, 0) AS reserved,
                   COALESCE(i.qty, 0) AS incoming,
                   COALESCE(sf.qty, 0) AS safety,
                   COALESCE(b.qty, 0) AS blocked,
                   GREATEST(0, COALESCE(s.on_hand, 0) - COALESCE(s.reserved, 0)
                               - COALESCE(sf.qty, 0) - COALESCE(b.qty, 0)) AS available
              FROM keys k
              JOIN omni_fulfilment_node n ON n.id = k.node_id
         LEFT JOIN (SELECT node_id, product_id, SUM(on_hand) AS on_hand,
                           SUM(reserved) AS reserved
                      FROM stock GROUP BY node_id, product_id) s
                   ON s.node_id = k.node_id AND s.product_id = k.product_id
         LEFT JOIN incoming i ON i.node_id = k.node_id AND i.product_id = k.product_id
         LEFT JOIN safety sf ON sf.node_id = k.node_id
         LEFT JOIN blocked b ON b.node_id = k.node_id AND b.product_id = k.product_id
             WHERE n.active
            )
                """,
                SQL.identifier(self._table),
            )
        )
