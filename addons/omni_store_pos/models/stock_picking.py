from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_store_packed = fields.Boolean(
        string="Packed at the Store",
        copy=False,
        readonly=True,
        help="The store picked and packed this pickup; it waits for the customer.",
    )
