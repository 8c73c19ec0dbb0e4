from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.omni_carrier.tests.common import CarrierMixin

from .tour_common import StoreTourCommon


@tagged("post_install", "-at_install")
class TestCounterTours(CarrierMixin, StoreTourCommon):
    """Click through the endless aisle, the label buttons and the printed receipts in
    headless Chromium; the ORM tests (test_endless_aisle.py, test_store_labels.py) assert
    the effects in detail, these check the main records after each tour."""

    tour_prefix = "Counter"
    tour_codes = ("CKLN", "CBRL")
    # the endless aisle sells them at the POS, the labels need a weight
    tour_product_vals = {"available_in_pos": True, "weight": 1.0}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.other_customer = env["res.partner"].create(
            dict(cls.address, name="No Carrier Customer", email="nocarrier@example.com")
        )
        cls.boot = cls._tour_product("Tour Boot", "OMNI-TBOT", 80.0)
        cls._stock(cls.boot, cls.wh_ber, 5)
        # an Omni DHL carrier on the local simulator
        cls.start_simulator()
        cls.env.company.partner_id.write(
            {"street": "Lagerweg 3", "zip": "10115", "city": "Berlin"}
        )
        cls.dhl = env["delivery.carrier"].create(
            {
                "name": "DHL store",
                "delivery_type": "omni_dhl",
                "product_id": env["product.product"]
                .create({"name": "Ship DHL", "type": "service", "list_price": 4.5})
                .id,
                "omni_account_id": cls.make_account("dhl").id,
                "omni_product": "V01PAK",
            }
        )

    @contextmanager
    def _label_jobs_inline(self):
        """The label jobs run at once (queue_job's no-delay context) instead of by the job
        runner, so the tour sees the label the carrier simulator created."""
        Shipment = type(self.env["omni.carrier.shipment"])
        original = Shipment._omni_enqueue

        def enqueue_inline(shipments):
            return original(shipments.with_context(queue_job__no_delay=True))

        with patch.object(Shipment, "_omni_enqueue", enqueue_inline):
            yield

    def _delivered(self, order):
        picking = order.picking_ids
        picking.move_ids.write({"quantity": picking.move_ids.product_uom_qty, "picked": True})
        picking.button_validate()
        return picking

    def test_endless_aisle_home_delivery(self):
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self.assertEqual(self._tour_with_screenshots("OmniEndlessAisleTour"), ["endless_aisle"])
        pos_order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(len(pos_order), 1)
        self.assertRecordValues(
            pos_order,
            [{"omni_flow": "aisle", "amount_total": 160.0, "partner_id": self.customer.id}],
        )
        order = pos_order.omni_sale_order_id
        self.assertEqual((order.omni_mode, order.state), ("home", "sale"))
        self.assertEqual(order.picking_ids.location_id, self.wh_ber.lot_stock_id)
        self.assertEqual(order.order_line.qty_invoiced, 2.0)
        self.assertEqual(order.omni_event_ids.sorted("id")[-1].step, "paid")

    def test_handover_receipt_printed(self):
        order = self._order([(self.jacket, 1)], "collect", client_order_ref="OMNI TOUR PRINT")
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self._tour_with_screenshots("OmniHandoverPrintTour")
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.state == "done").ids, order.picking_ids.ids
        )
        self.assertEqual(self.main_pos_config.current_session_id.order_ids.amount_total, 100.0)

    def test_ship_from_store_label(self):
        no_carrier = self._order([(self.jacket, 1)], "home", partner=self.other_customer)
        self._delivered(no_carrier)
        order = self._order([(self.jacket, 1)], "home", carrier=self.dhl)
        self.main_pos_config.with_user(self.store_staff).open_ui()
        with self._label_jobs_inline():
            self.assertEqual(self._tour_with_screenshots("OmniStoreLabelTour"), ["store_label"])
        picking = order.picking_ids
        self.assertEqual(picking.state, "done")
        shipment = picking.omni_shipment_ids
        self.assertRecordValues(shipment, [{"kind": "outbound", "state": "done"}])
        self.assertTrue(shipment.label_attachment_ids)
        self.assertFalse(no_carrier.picking_ids.omni_shipment_ids)

    def test_counter_return_label(self):
        order = self._order([(self.jacket, 1)], "home", carrier=self.dhl)
        with self._label_jobs_inline():
            picking = self._delivered(order)
            self.main_pos_config.with_user(self.store_staff).open_ui()
            self.assertEqual(self._tour_with_screenshots("OmniReturnLabelTour"), ["return_label"])
        ret = picking.omni_shipment_ids.filtered(lambda s: s.kind == "return")
        self.assertRecordValues(ret, [{"state": "done"}])
        self.assertTrue(ret.label_attachment_ids)
        self.assertTrue(ret.tracking_ref)
