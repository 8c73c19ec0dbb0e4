from odoo import fields, models

ASSIGNMENT_KINDS = [
    ("ship", "Ship"),
    ("pickup", "Pickup"),
    ("transfer", "Transfer to store"),
    ("dropship", "Drop-ship"),
    ("backorder", "Backorder"),
]


class OmniSourcingAssignment(models.Model):
    """Quantity of one order line given to one node by a sourcing decision."""

    _name = "omni.sourcing.assignment"
    _description = "Omni Sourcing Assignment"
    _order = "id"
    _check_company_auto = True

    decision_id = fields.Many2one("omni.sourcing.decision", ondelete="cascade", index=True)
    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(related="line_id.product_id", store=True)
    node_id = fields.Many2one("omni.fulfilment.node", required=True, index=True)
    to_node_id = fields.Many2one("omni.fulfilment.node", string="To Node")
    kind = fields.Selection(ASSIGNMENT_KINDS, required=True, default="ship")
    quantity = fields.Float(required=True)
    state = fields.Selection(
        [("planned", "Planned"), ("procured", "Released"), ("rejected", "Rejected")],
        default="planned",
        required=True,
        index=True,
    )
    picking_id = fields.Many2one("stock.picking", index=True)
