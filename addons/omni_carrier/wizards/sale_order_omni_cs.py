from odoo import models

from odoo.addons.omni_order.cs import LabelInfo


class SaleOrderOmniCs(models.TransientModel):
    """Customer-service actions of omni_order reach the carrier labels here."""

    _inherit = "sale.order.omni.cs"

    def _omni_labels(self, pickings):
        labels = super()._omni_labels(pickings)
        shipments = pickings.sudo().omni_shipment_ids.filtered(
            lambda s: s.kind == "outbound" and s.state in ("queued", "done")
        )
        for shipment in shipments:
            labels.setdefault(shipment.picking_id.id, []).append(
                LabelInfo(id=shipment.id, ref=shipment.tracking_ref or shipment.name)
            )
        return labels

    def _omni_apply_labels(self, void_pickings, renew_pickings):
        """Void through the shipment's own void (DHL: a cancel job; DPD, Hermes: locally);
        a label not bought yet is dropped before its job runs. A transfer that stays gets a
        new label (``action_omni_relabel``)."""
        res = super()._omni_apply_labels(void_pickings, renew_pickings)
        shipments = void_pickings.sudo().omni_shipment_ids.filtered(lambda s: s.kind == "outbound")
        shipments.filtered(lambda s: s.state == "queued").write({"state": "voided"})
        shipments.filtered(lambda s: s.state == "done")._omni_void()
        renew = renew_pickings.sudo().filtered(
            lambda p: any(s.kind == "outbound" and s.state == "done" for s in p.omni_shipment_ids)
        )
        renew.action_omni_relabel()
        return res
