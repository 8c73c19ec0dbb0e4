from odoo.tests import tagged

from odoo.addons.omni_order.demo_loader import load_demo
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from ..demo_loader import load_store_demo
from .tour_common import ScreenshotTourMixin


@tagged("post_install", "-at_install")
class TestKoelnDemoTour(ScreenshotTourMixin, TestPointOfSaleHttpCommon):
    """The `make run` demo in a real browser: the test database has no demo data, so the
    test runs the same loaders (omni_order's network, then the Köln POS) and clicks through
    the Köln POS as the demo user store.koeln."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as the demo data is loaded: by the superuser, into the test company
        demo_env = cls.env(su=True)
        load_demo(demo_env)
        cls.config = load_store_demo(demo_env).with_env(cls.env)
        cls.staff = cls.env["res.users"].search([("login", "=", "store.koeln")])

    def test_koeln_demo_pickup_paid_and_ship_from_store_task(self):
        self.assertTrue(self.config, "the store demo found omni_order's Köln store")
        # store staff are internal users (the demo user was given only the store group)
        self.assertTrue(self.staff.has_group("base.group_user"))
        self.assertFalse(self.staff.has_group("point_of_sale.group_pos_manager"))
        orders = self.env["sale.order"].search(
            [
                (
                    "client_order_ref",
                    "in",
                    ("DEMO Köln pickup (pay in store)", "DEMO Köln ship-from-store"),
                )
            ]
        )
        pickup = orders.filtered(lambda o: o.omni_mode == "collect")
        ship = orders - pickup
        warehouse = self.config.picking_type_id.warehouse_id
        self.assertTrue(pickup.omni_pickup_ready)
        self.assertEqual(ship.picking_ids.picking_type_id.warehouse_id, warehouse)
        self.config.with_user(self.staff).open_ui()
        shots = self._tour_with_screenshots(
            "OmniKoelnDemoTour", login="store.koeln", pos_config=self.config
        )
        self.assertEqual(shots, ["koeln_demo_store_orders"])
        picking = pickup.picking_ids.filtered(lambda p: p.picking_type_id == warehouse.out_type_id)
        self.assertEqual(picking.state, "done")
        pos_order = self.config.current_session_id.order_ids
        self.assertEqual(pos_order.omni_sale_order_id, pickup)
        self.assertEqual(pos_order.state, "paid")
        self.assertAlmostEqual(pos_order.amount_paid, pickup.amount_total)
        self.assertEqual(pos_order.user_id, self.staff)
        self.assertIn("picked_up", pickup.omni_event_ids.mapped("step"))
        self.assertNotEqual(ship.picking_ids.state, "done", "the ship-from-store task waits")
