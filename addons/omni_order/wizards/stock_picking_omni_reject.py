from odoo import fields, models


class StockPickingOmniReject(models.TransientModel):
    _name = "stock.picking.omni.reject"
    _description = "Reject a Node's Picking"

    picking_ids = fields.Many2many("stock.picking", required=True)
    reason_id = fields.Many2one("omni.reject.reason", required=True)

    def action_reject(self):
        self.ensure_one()
        self.picking_ids._omni_reject(self.reason_id)
        return {"type": "ir.actions.act_window_close"}
