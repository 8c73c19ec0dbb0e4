from odoo import fields, models


class OmniIntakeProductMap(models.Model):
    """A customer's (or a whole channel's) own product code for one of our products, used
    when an order names neither our EAN nor our SKU."""

    _name = "omni.intake.product.map"
    _description = "Omni Intake Product Mapping"
    _order = "code, id"
    _check_company_auto = True

    code = fields.Char(string="Customer Product Code", required=True, index=True)
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        help="Empty: the code applies to every customer of the channel.",
    )
    channel_id = fields.Many2one(
        "crm.team", string="Channel", help="Empty: the code applies to every channel."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "code_uniq",
            "UNIQUE NULLS NOT DISTINCT (code, partner_id, channel_id)",
            "This product code is already mapped for this customer and channel.",
        )
    ]
