import base64
import pathlib
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

DESCRIPTION = pathlib.Path(__file__).resolve().parent.parent / "static" / "description"


@tagged("post_install", "-at_install")
class TestStoreTours(TestPointOfSaleHttpCommon):
    """Click through the store screens in headless Chromium; the ORM tests assert the
    stock, accounting and timeline effects in detail (test_store_flows.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.user.groups_id = [
            Command.link(env.ref("omni_order.group_omni_manager").id),
            Command.link(env.ref("sales_team.group_sale_manager").id),
            Command.link(env.ref("stock.group_stock_manager").id),
        ]
        cls.wh_cgn = env["stock.warehouse"].create({"name": "Tour Köln", "code": "TKLN"})
        cls.wh_ber = env["stock.warehouse"].create({"name": "Tour Berlin", "code": "TBRL"})
        Node = env["omni.fulfilment.node"]
        store = {"kind": "store", "pickup_point": True, "reservations": True}
        cls.node_cgn = Node.create(
            dict(store, name="Köln", warehouse_id=cls.wh_cgn.id, latitude=50.9, longitude=6.9)
        )
        Node.create(
            dict(store, name="Berlin", warehouse_id=cls.wh_ber.id, latitude=52.5, longitude=13.4)
        )
        env["omni.sourcing.ruleset"].create(
            {
                "name": "Tour rules",
                "rule_ids": [
                    Command.create({"name": "Pickup", "sequence": 5, "mode": "collect"}),
                    Command.create({"name": "Home", "sequence": 10}),
                ],
            }
        ).action_activate()
        cls.main_pos_config.picking_type_id = cls.wh_cgn.pos_type_id
        # the tours run as store staff of Köln: POS user rights and the store, nothing more
        cls.store_staff = env["res.users"].create(
            {
                "name": "Kim Store",
                "login": "store_staff",
                "password": "store_staff",
                "email": "kim.store@example.com",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("omni_store_pos.group_store_staff").id,
                        ]
                    )
                ],
                "omni_store_warehouse_ids": [Command.set(cls.wh_cgn.ids)],
            }
        )
        cls.assertFalse(
            cls,
            cls.store_staff.has_group("point_of_sale.group_pos_manager")
            or cls.store_staff.has_group("stock.group_stock_user")
            or cls.store_staff.has_group("sales_team.group_sale_salesman"),
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Tour Customer",
                "email": "tour@example.com",
                "street": "Hohe Straße 1",
                "city": "Köln",
                "zip": "50667",
                "country_id": env.ref("base.de").id,
                "partner_latitude": 50.94,
                "partner_longitude": 6.95,
            }
        )
        product = {"type": "consu", "is_storable": True, "taxes_id": [Command.clear()]}
        cls.jacket = env["product.product"].create(
            dict(product, name="Tour Jacket", default_code="OMNI-TJKT", list_price=100.0)
        )
        cls.shoe = env["product.product"].create(
            dict(product, name="Tour Shoe", default_code="OMNI-TSHO", list_price=50.0)
        )
        for prod, wh, qty in ((cls.jacket, cls.wh_cgn, 5), (cls.shoe, cls.wh_cgn, 5)):
            env["stock.quant"]._update_available_quantity(prod, wh.lot_stock_id, qty)
        env["stock.quant"]._update_available_quantity(cls.shoe, cls.wh_ber.lot_stock_id, 5)

    def _order(self, lines, mode, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "omni_mode": mode,
                "omni_pickup_node_id": self.node_cgn.id if mode == "collect" else False,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "tax_id": False})
                    for p, q in lines
                ],
                **vals,
            }
        )
        order.action_confirm()
        return order

    def _tour_with_screenshots(self, tour, login="store_staff", **kwargs):
        futures = []
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002
            message = (args or [{}])[0].get("value")
            if isinstance(message, str) and message.startswith("omni-screenshot:"):
                name = message.split(":", 1)[1]
                future = browser._websocket_send("Page.captureScreenshot", with_future=True)
                futures.append((name, future))
            return original(browser, type, args=args, stackTrace=stackTrace, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_pos_tour(tour, login=login, **kwargs)
        for name, future in futures:
            data = future.result(timeout=30)["data"]
            (DESCRIPTION / f"{name}.png").write_bytes(base64.b64decode(data))
        return [name for name, _f in futures]

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
