from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    omni_store_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        "omni_store_user_warehouse_rel",
        "user_id",
        "warehouse_id",
        string="Stores",
        help="Store staff see and act only on the POS and the orders of these warehouses.",
    )
