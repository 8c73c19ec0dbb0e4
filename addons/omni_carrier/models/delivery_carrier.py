from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..carriers.common import CarrierError

OMNI_TYPES = {"omni_dhl": "dhl", "omni_dpd": "dpd", "omni_hermes": "hermes"}
TRACKING_URLS = {
    "dhl": "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=%s",
    "dpd": "https://tracking.dpd.de/status/de_DE/parcel/%s",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#%s",
}


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[
            ("omni_dhl", "DHL Parcel DE"),
            ("omni_dpd", "DPD Germany"),
            ("omni_hermes", "Hermes Germany"),
        ],
        ondelete={
            "omni_dhl": "set default",
            "omni_dpd": "set default",
            "omni_hermes": "set default",
        },
    )
    omni_account_id = fields.Many2one(
        "omni.carrier.account", string="Carrier Account", check_company=True
    )
    omni_product = fields.Char(string="Carrier Product", help="DHL V01PAK, DPD CL, ...")
    omni_label_format = fields.Selection(
        [("PDF", "PDF"), ("ZPL", "ZPL")], string="Label Format", default="PDF"
    )
    omni_age_check = fields.Selection([("A16", "16+"), ("A18", "18+")], string="Age Check")
    omni_ident = fields.Boolean(string="Ident Check")
    omni_email_notification = fields.Boolean(string="Carrier E-mail Notification")
    omni_return_label = fields.Boolean(string="Return Label Included")
    omni_use_locations = fields.Boolean(string="Parcel Shop Delivery")
    omni_dhl_use_locations = fields.Boolean(
        related="omni_use_locations", string="DHL Parcel Shops"
    )
    omni_dpd_use_locations = fields.Boolean(
        related="omni_use_locations", string="DPD Parcel Shops"
    )
    omni_hermes_use_locations = fields.Boolean(
        related="omni_use_locations", string="HERMES Parcel Shops"
    )
    omni_notify_shipped = fields.Boolean(string="E-mail: Shipped", default=True)
    omni_notify_out_for_delivery = fields.Boolean(string="E-mail: Out for Delivery", default=True)
    omni_notify_ready_for_pickup = fields.Boolean(
        string="E-mail: Ready at Parcel Shop", default=True
    )
    omni_notify_failed_attempt = fields.Boolean(string="E-mail: Failed Attempt", default=True)

    @api.depends("delivery_type")
    def _compute_can_generate_return(self):
        res = super()._compute_can_generate_return()
        for carrier in self.filtered(lambda c: c.delivery_type in ("omni_dhl", "omni_hermes")):
            carrier.can_generate_return = True
        return res

    # === SHARED IMPLEMENTATION === #

    def _omni_code(self):
        return OMNI_TYPES.get(self.delivery_type)

    def _omni_rate(self, order):
        return {
            "success": True,
            "price": self.product_id.list_price,
            "error_message": False,
            "warning_message": False,
        }

    def _omni_send(self, pickings):
        """Called by core while validating: record the request, let a job call the carrier."""
        pickings._omni_request_shipment()
        return [{"exact_price": 0.0, "tracking_number": False} for _picking in pickings]

    def _omni_tracking_link(self, picking):
        numbers = picking.omni_parcel_ids.filtered(
            lambda p: p.shipment_id.kind == "outbound" and p.status != "cancelled"
        )
        url = TRACKING_URLS[self._omni_code()]
        if len(numbers) == 1:
            return url % numbers.tracking_number
        if numbers:
            import json

            return json.dumps([[n.tracking_number, url % n.tracking_number] for n in numbers])
        return False

    def _omni_cancel(self, pickings):
        pickings.omni_shipment_ids.filtered(lambda s: s.kind == "outbound")._omni_void()

    def _omni_return_label(self, pickings, tracking_number=None, origin_date=None):
        pickings._omni_request_return()

    def _omni_close_locations(self, partner_address, **kwargs):
        self.ensure_one()
        if not self.omni_account_id:
            raise UserError(_("The delivery method %s has no carrier account.", self.name))
        client = self.omni_account_id._omni_client()
        try:
            points = client.find_locations(
                partner_address.zip or "",
                (partner_address.country_id.code or "DE"),
                city=partner_address.city or "Berlin",
                street=partner_address.street or None,
            )
        except CarrierError as exc:
            raise UserError(_("The carrier could not list pickup points: %s", exc)) from exc
        return [
            {
                "id": point.id,
                "name": point.name,
                "street": point.street,
                "city": point.city,
                "zip_code": point.zip_code,
                "country_code": point.country_code,
                "latitude": point.latitude,
                "longitude": point.longitude,
                "distance": point.distance_km,
                "opening_hours": point.opening_hours,
                "additional_data": {
                    "kind": point.kind,
                    "number": point.number,
                    "carrier": self._omni_code(),
                },
            }
            for point in points
        ]

    # === CORE HOOKS (one thin wrapper per delivery_type) === #

    def omni_dhl_rate_shipment(self, order):
        return self._omni_rate(order)

    def omni_dpd_rate_shipment(self, order):
        return self._omni_rate(order)

    def omni_hermes_rate_shipment(self, order):
        return self._omni_rate(order)

    def omni_dhl_send_shipping(self, pickings):
        return self._omni_send(pickings)

    def omni_dpd_send_shipping(self, pickings):
        return self._omni_send(pickings)

    def omni_hermes_send_shipping(self, pickings):
        return self._omni_send(pickings)

    def omni_dhl_get_tracking_link(self, picking):
        return self._omni_tracking_link(picking)

    def omni_dpd_get_tracking_link(self, picking):
        return self._omni_tracking_link(picking)

    def omni_hermes_get_tracking_link(self, picking):
        return self._omni_tracking_link(picking)

    def omni_dhl_cancel_shipment(self, pickings):
        return self._omni_cancel(pickings)

    def omni_dpd_cancel_shipment(self, pickings):
        return self._omni_cancel(pickings)

    def omni_hermes_cancel_shipment(self, pickings):
        return self._omni_cancel(pickings)

    def omni_dhl_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        return self._omni_return_label(pickings, tracking_number, origin_date)

    def omni_hermes_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        return self._omni_return_label(pickings, tracking_number, origin_date)

    def _omni_dhl_get_close_locations(self, partner_address, **kwargs):
        return self._omni_close_locations(partner_address, **kwargs)

    def _omni_dpd_get_close_locations(self, partner_address, **kwargs):
        return self._omni_close_locations(partner_address, **kwargs)

    def _omni_hermes_get_close_locations(self, partner_address, **kwargs):
        return self._omni_close_locations(partner_address, **kwargs)
