import re

from odoo import _, fields, models
from odoo.exceptions import UserError


class OmniCarrierShipmentReconcile(models.TransientModel):
    """Settle a shipment whose create timed out at a carrier without a lookup (DHL, DPD).

    A person checks the carrier portal for the shipment's reference: either it exists (enter
    its parcel numbers) or it does not (confirm, and it is requested again). No carrier call.
    """

    _name = "omni.carrier.shipment.reconcile"
    _description = "Reconcile Carrier Shipment"

    shipment_id = fields.Many2one("omni.carrier.shipment", required=True, readonly=True)
    reference = fields.Char(related="shipment_id.name")
    carrier_id = fields.Many2one(related="shipment_id.carrier_id")
    tracking_numbers = fields.Char(
        string="Parcel Numbers",
        help="The parcel numbers the carrier portal shows for this reference, comma separated.",
    )

    def action_confirm_created(self):
        self.ensure_one()
        numbers = [n for n in re.split(r"[\s,;]+", self.tracking_numbers or "") if n]
        if not numbers:
            raise UserError(_("Enter the parcel numbers found in the carrier portal."))
        self.shipment_id._omni_reconcile_created(numbers)
        return {"type": "ir.actions.act_window_close"}

    def action_confirm_not_created(self):
        self.ensure_one()
        self.shipment_id._omni_reconcile_not_created()
        return {"type": "ir.actions.act_window_close"}
