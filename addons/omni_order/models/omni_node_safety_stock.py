from odoo import fields, models


class OmniNodeSafetyStock(models.Model):
    """Units of every product a node keeps back from a sales channel (e.g. the web shop)."""

    _name = "omni.node.safety.stock"
    _description = "Omni Node Safety Stock"
    _check_company_auto = True

    node_id = fields.Many2one(
        "omni.fulfilment.node", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="node_id.company_id", store=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Channel", help="Empty: every channel without its own line."
    )
    quantity = fields.Float(required=True, default=1.0)

    _sql_constraints = [
        ("node_team_uniq", "unique(node_id, team_id)", "One safety stock per node and channel."),
        ("quantity_positive", "CHECK(quantity >= 0)", "Safety stock cannot be negative."),
    ]
