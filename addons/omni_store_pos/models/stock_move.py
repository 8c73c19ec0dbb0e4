from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_scanned_qty = fields.Float(
        string="Scanned at the Store", copy=False, digits="Product Unit of Measure"
    )
    omni_return_reason_id = fields.Many2one("omni.return.reason", copy=False)
