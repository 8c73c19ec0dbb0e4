import base64
import pathlib
from contextlib import contextmanager
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.omni_carrier.tests.common import CarrierMixin
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

DESCRIPTION = pathlib.Path(__file__).resolve().parent.parent / "static" / "description"


@tagged("post_install", "-at_install")
class TestCounterTours(CarrierMixin, TestPointOfSaleHttpCommon):
    """Click through the endless aisle, the label buttons and the printed receipts in
    headless Chromium; the ORM tests (test_endless_aisle.py, test_store_labels.py) assert
    the effects in detail, these check the main records after each tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.user.groups_id = [
            Command.link(env.ref("omni_order.group_omni_manager").id),
            Command.link(env.ref("sales_team.group_sale_manager").id),
            Command.link(env.ref("stock.group_stock_manager").id),
        ]
        cls.wh_cgn = env["stock.warehouse"].create({"name": "Counter Köln", "code": "CKLN"})
        cls.wh_ber = env["stock.warehouse"].create({"name": "Counter Berlin", "code": "CBRL"})
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
                "name": "Counter tour rules",
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
        address = {
            "street": "Hohe Straße 1",
            "city": "Köln",
            "zip": "50667",
            "country_id": env.ref("base.de").id,
            "partner_latitude": 50.94,
            "partner_longitude": 6.95,
        }
        cls.customer = env["res.partner"].create(
            dict(address, name="Tour Customer", email="tour@example.com")
        )
        cls.other_customer = env["res.partner"].create(
            dict(address, name="No Carrier Customer", email="nocarrier@example.com")
        )
        product = {
            "type": "consu",
            "is_storable": True,
            "taxes_id": [Command.clear()],
            "available_in_pos": True,
            "weight": 1.0,
        }
        cls.jacket = env["product.product"].create(
            dict(product, name="Tour Jacket", default_code="OMNI-TJKT", list_price=100.0)
        )
        cls.boot = env["product.product"].create(
            dict(product, name="Tour Boot", default_code="OMNI-TBOT", list_price=80.0)
        )
        env["stock.quant"]._update_available_quantity(cls.jacket, cls.wh_cgn.lot_stock_id, 5)
        env["stock.quant"]._update_available_quantity(cls.boot, cls.wh_ber.lot_stock_id, 5)
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

    def _order(self, lines, mode, partner=None, carrier=None, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "omni_mode": mode,
                "omni_pickup_node_id": self.node_cgn.id if mode == "collect" else False,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "tax_id": False})
                    for p, q in lines
                ],
                **vals,
            }
        )
        if carrier:
            order.set_delivery_line(carrier, 4.5)
        order.action_confirm()
        return order

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

    def _tour_with_screenshots(self, tour, login="store_staff"):
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
            self.start_pos_tour(tour, login=login)
        for name, future in futures:
            data = future.result(timeout=30)["data"]
            (DESCRIPTION / f"{name}.png").write_bytes(base64.b64decode(data))
        return [name for name, _f in futures]

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
