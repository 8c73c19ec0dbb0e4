from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_pickup_point_name = fields.Char(
        string="Parcel Shop",
        compute="_compute_omni_pickup_point_name",
        help="The pickup point the shipment goes to instead of the home address.",
    )

    @api.depends("pickup_location_data")
    def _compute_omni_pickup_point_name(self):
        for order in self:
            data = order.pickup_location_data or {}
            order.omni_pickup_point_name = (
                "{}, {}, {} {}".format(
                    data.get("name"), data.get("street"), data.get("zip_code"), data.get("city")
                )
                if data
                else False
            )
