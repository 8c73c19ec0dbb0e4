from odoo import fields, models


class OmniSupplierStock(models.Model):
    """What a drop-ship supplier says it has, as of its latest stock feed."""

    _name = "omni.supplier.stock"
    _description = "Omni Supplier Stock"
    _order = "node_id, product_id"

    node_id = fields.Many2one(
        "omni.fulfilment.node", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="node_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    quantity = fields.Float()
    feed_id = fields.Many2one("omni.supplier.feed", ondelete="set null")

    _sql_constraints = [
        (
            "node_product_uniq",
            "unique(node_id, product_id)",
            "One stock row per supplier product.",
        ),
    ]
