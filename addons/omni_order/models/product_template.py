from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    omni_ship_group = fields.Char(
        string="Ship Together Group",
        help="Products of an order with the same group (a kit, a set) ship from one node.",
    )
