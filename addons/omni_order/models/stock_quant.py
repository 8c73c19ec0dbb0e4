from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _apply_inventory(self):
        """A count clears the stock a node had blocked for that product (e.g. not found)."""
        res = super()._apply_inventory()
        warehouses = self.location_id.warehouse_id
        if warehouses:
            nodes = (
                self.env["omni.fulfilment.node"]
                .sudo()
                .search([("warehouse_id", "in", warehouses.ids)])
            )
            if nodes:
                self.env["omni.stock.block"].sudo().search(
                    [("node_id", "in", nodes.ids), ("product_id", "in", self.product_id.ids)]
                ).write({"active": False})
        return res
