from odoo.fields import Command
from odoo.tests import tagged

from .tour_common import StoreTourCommon


@tagged("post_install", "-at_install")
class TestStoreTours(StoreTourCommon):
    """Click through the store screens in headless Chromium; the ORM tests assert the
    stock, accounting and timeline effects in detail (test_store_flows.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shoe = cls._tour_product("Tour Shoe", "OMNI-TSHO", 50.0)
        cls._stock(cls.shoe, cls.wh_cgn, 5)
        cls._stock(cls.shoe, cls.wh_ber, 5)

    def test_pickup_handover_partial_with_payment(self):
        order = self._order(
            [(self.jacket, 1), (self.shoe, 1)], "collect", client_order_ref="OMNI TOUR PICKUP"
        )
        picking = order.picking_ids
        self.main_pos_config.with_user(self.store_staff).open_ui()
        shots = self._tour_with_screenshots("OmniPickupHandoverTour")
        self.assertEqual(shots, ["pickup_screen"])
        self.assertEqual(picking.state, "done")
        done = picking.move_ids.filtered(lambda m: m.state == "done")
        self.assertEqual(done.product_id, self.jacket)
        pos_order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(pos_order.amount_total, 100.0)
        self.assertEqual(pos_order.user_id, self.store_staff, "handed over by store staff")
        self.assertFalse(pos_order.picking_ids)
        self.assertEqual(order.omni_event_ids.sorted("id")[-1].step, "picked_up")

    def test_pickup_handover_in_arabic(self):
        """Right-to-left for real: the tour checks the computed direction and that the
        screen is mirrored (detail panel left of the list, back button at the right)."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.assertEqual(self.env["res.lang"]._lang_get("ar_001").direction, "rtl")
        self.store_staff.lang = "ar_001"
        self._order(
            [(self.jacket, 1), (self.shoe, 1)], "collect", client_order_ref="OMNI TOUR PICKUP"
        )
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self.assertEqual(
            self._tour_with_screenshots("OmniPickupHandoverRtlTour"), ["pickup_screen_ar_001"]
        )
        self.assertTrue(
            self.env["sale.order"]
            .search([("client_order_ref", "=", "OMNI TOUR PICKUP")])
            .omni_event_ids.filtered(lambda e: e.step == "picked_up")
        )

    def test_pickup_handover_in_chinese(self):
        """zh_CN with a Chinese customer and product: found by the name, handed over, paid.
        The core POS is in Chinese; Omni ships German only, so its own terms stay English."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.store_staff.lang = "zh_CN"
        self.customer.name = "王小明"
        shoe = self.env["product.product"].create(
            {
                "name": "山地鞋",
                "is_storable": True,
                "list_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        self.env["stock.quant"]._update_available_quantity(shoe, self.wh_cgn.lot_stock_id, 2)
        order = self._order([(shoe, 1)], "collect")
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self.assertEqual(self._tour_with_screenshots("OmniPickupCjkTour"), ["pickup_screen_zh_CN"])
        self.assertEqual(order.order_line.qty_delivered, 1)
        pos_order = self.main_pos_config.current_session_id.order_ids
        self.assertEqual(pos_order.partner_id.name, "王小明")
        self.assertEqual(pos_order.lines.full_product_name, "山地鞋")
        self.assertEqual(pos_order.amount_paid, 60.0)

    def test_store_pick_with_rejection(self):
        ship = self._order([(self.jacket, 1)], "home")
        other = self._order([(self.shoe, 1)], "home")
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self.assertEqual(self._tour_with_screenshots("OmniStorePickTour"), ["store_orders_screen"])
        self.assertEqual(ship.picking_ids.state, "done")
        self.assertIn(self.node_cgn, other.omni_excluded_node_ids)
        self.assertEqual(
            other.picking_ids.filtered(
                lambda p: p.state == "assigned"
            ).picking_type_id.warehouse_id,
            self.wh_ber,
        )

    def test_in_store_return(self):
        order = self._order([(self.jacket, 2)], "home")
        order.picking_ids.move_ids.write({"quantity": 2, "picked": True})
        order.picking_ids.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        self.main_pos_config.with_user(self.store_staff).open_ui()
        self.assertEqual(self._tour_with_screenshots("OmniReturnTour"), ["return_screen"])
        self.assertEqual(order.order_line.qty_delivered, 1)
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.amount_total, 100.0)
        self.assertEqual(order.omni_event_ids.sorted("id")[-1].step, "returned")
