from odoo.tests import tagged

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestCsLabels(CarrierCase):
    """Customer-service actions void or renew the labels of the transfers they change."""

    def _labelled(self, code, qty=2):
        picking = self.make_picking(code, qty=qty)
        picking._omni_request_shipment()  # labels printed ahead of shipping
        self.perform_jobs()
        shipment = picking.omni_shipment_ids
        self.assertEqual(shipment.state, "done", shipment.error_message)
        self.assertNotEqual(picking.state, "done")
        return picking, shipment

    def _cancel(self, order, qty):
        wizard = (
            self.env["sale.order.omni.cs"]
            .with_context(default_order_id=order.id, default_action="cancel")
            .create({})
        )
        line = wizard.line_ids.filtered(lambda ln: ln.product_id == self.product)
        line.cancel_qty = qty
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        return wizard

    def test_cancel_voids_label(self):
        picking, shipment = self._labelled("dhl")
        order = picking.sale_id
        picking.move_ids.picked = False
        wizard = self._cancel(order, 2)
        [void] = [e for e in wizard.plan["effects"] if e["kind"] == "label_void"]
        self.assertEqual(void["id"], picking.id)
        self.assertIn(shipment.tracking_ref, wizard.preview_html)
        self.sim.reset_calls()
        wizard.action_apply()
        self.assertFalse(self.sim.calls, "no carrier call in the user's transaction")
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(shipment.state, "voiding")
        self.perform_jobs()
        self.assertEqual(shipment.state, "voided")
        self.assertEqual(len(self.sim.calls_for("dhl", "cancel")), 1)

    def test_partial_cancel_renews_label(self):
        picking, shipment = self._labelled("dpd", qty=3)
        picking.move_ids.picked = False
        wizard = self._cancel(picking.sale_id, 1)
        self.assertEqual(
            [e["kind"] for e in wizard.plan["effects"] if e["kind"].startswith("label")],
            ["label_renew"],
        )
        wizard.action_apply()
        self.assertEqual(shipment.state, "voided")
        new = picking.omni_shipment_ids - shipment
        self.assertEqual(new.state, "queued")
        self.assertEqual(shipment.replaced_by_id, new)
        self.perform_jobs()
        self.assertEqual(new.state, "done", new.error_message)

    def test_address_change_renews_label(self):
        picking, shipment = self._labelled("hermes")
        picking.move_ids.picked = False
        order = picking.sale_id
        office = self.customer.copy({"name": "Erika (Büro)", "street": "Domstr. 1"})
        wizard = (
            self.env["sale.order.omni.cs"]
            .with_context(default_order_id=order.id, default_action="address")
            .create({"partner_shipping_id": office.id})
        )
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [renew] = [e for e in wizard.plan["effects"] if e["kind"] == "label_renew"]
        self.assertEqual(renew["id"], picking.id)
        wizard.action_apply()
        self.assertEqual(picking.partner_id, office)
        self.assertEqual(shipment.state, "voided")
        new = picking.omni_shipment_ids - shipment
        self.perform_jobs()
        self.assertEqual(new.state, "done", new.error_message)
        self.assertEqual(new._omni_request()["recipient"]["street"], "Domstr.")
