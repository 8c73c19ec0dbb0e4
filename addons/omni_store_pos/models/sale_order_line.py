from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_qty_delivered(self):
        """pos_sale counts the POS lines of a sale order as delivered; the POS orders of the
        Omni store flows create no picking (the store's own picking delivers), so their
        quantities must not be counted a second time."""
        res = super()._compute_qty_delivered()
        for line in self:
            pos_lines = line.sudo().pos_order_line_ids.filtered(
                lambda pl: pl.order_id.omni_flow and pl.order_id.state not in ("cancel", "draft")
            )
            if pos_lines and line.product_id.type != "service":
                line.qty_delivered -= sum(
                    line._convert_qty(line, pl.qty, "p2s") for pl in pos_lines
                )
        return res
