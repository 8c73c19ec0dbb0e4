from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    omni_damaged_location_id = fields.Many2one(
        "stock.location",
        string="Damaged Returns Location",
        help="Where damaged goods returned at this store go. Outside the warehouse's stock, so "
        "they are never offered for sale.",
    )

    def _omni_damaged_location(self):
        """The damaged location of this store, created on first use."""
        self.ensure_one()
        if not self.omni_damaged_location_id:
            parent = self.env.ref("stock.stock_location_locations", raise_if_not_found=False)
            self.sudo().omni_damaged_location_id = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": self.env._("%(store)s Damaged", store=self.code),
                        "usage": "internal",
                        "location_id": parent.id if parent else False,
                        "company_id": self.company_id.id,
                    }
                )
            )
        return self.omni_damaged_location_id
