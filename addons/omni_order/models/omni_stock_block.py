from odoo import fields, models


class OmniStockBlock(models.Model):
    """Units a node cannot give (e.g. not found at pick time) until the next inventory count."""

    _name = "omni.stock.block"
    _description = "Omni Blocked Stock"
    _order = "id desc"

    node_id = fields.Many2one(
        "omni.fulfilment.node", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="node_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    quantity = fields.Float(required=True)
    reason_id = fields.Many2one("omni.reject.reason", ondelete="set null")
    picking_id = fields.Many2one("stock.picking", ondelete="set null")
    active = fields.Boolean(default=True, help="Cleared when a count is applied at the node.")
