"""Shared set-up of the store tour tests (test_tours.py, test_tours_counter.py,
test_tours_demo.py): the Köln/Berlin store network, the Köln store staff, the customer,
the order helper and the tour runner that saves the screenshots the tours ask for."""

import base64
import pathlib
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests.common import ChromeBrowser

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

DESCRIPTION = pathlib.Path(__file__).resolve().parent.parent / "static" / "description"


def create_store_staff(warehouses, **vals):
    """A store staff user of `warehouses`: internal user with the store group only."""
    env = warehouses.env
    return env["res.users"].create(
        {
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("omni_store_pos.group_store_staff").id,
                    ]
                )
            ],
            "omni_store_warehouse_ids": [Command.set(warehouses.ids)],
            **vals,
        }
    )


class ScreenshotTourMixin:
    def _tour_with_screenshots(self, tour, login="store_staff", **kwargs):
        """Run the POS tour; every `omni-screenshot:<name>` console message captures the
        page into static/description/<name>.png. Returns the names in order."""
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


class StoreTourCommon(ScreenshotTourMixin, TestPointOfSaleHttpCommon):
    """Stores Köln (the POS's, with 5 `jacket`) and Berlin, a pickup-first ruleset, the
    Köln store staff `store_staff` (store group only) and the Köln customer."""

    # "<prefix> Köln"/"<prefix> Berlin" warehouses with these codes, "<prefix> rules"
    tour_prefix = "Tour"
    tour_codes = ("TKLN", "TBRL")
    # extra values of the tour products (e.g. available_in_pos for the product screen)
    tour_product_vals = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.user.groups_id = [
            Command.link(env.ref("omni_order.group_omni_manager").id),
            Command.link(env.ref("sales_team.group_sale_manager").id),
            Command.link(env.ref("stock.group_stock_manager").id),
        ]
        Warehouse = env["stock.warehouse"]
        cgn_code, ber_code = cls.tour_codes
        cls.wh_cgn = Warehouse.create({"name": f"{cls.tour_prefix} Köln", "code": cgn_code})
        cls.wh_ber = Warehouse.create({"name": f"{cls.tour_prefix} Berlin", "code": ber_code})
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
                "name": f"{cls.tour_prefix} rules",
                "rule_ids": [
                    Command.create({"name": "Pickup", "sequence": 5, "mode": "collect"}),
                    Command.create({"name": "Home", "sequence": 10}),
                ],
            }
        ).action_activate()
        cls.main_pos_config.picking_type_id = cls.wh_cgn.pos_type_id
        # the tours run as store staff of Köln: POS user rights and the store, nothing more
        cls.store_staff = create_store_staff(
            cls.wh_cgn,
            name="Kim Store",
            login="store_staff",
            password="store_staff",
            email="kim.store@example.com",
        )
        cls.assertFalse(
            cls,
            cls.store_staff.has_group("point_of_sale.group_pos_manager")
            or cls.store_staff.has_group("stock.group_stock_user")
            or cls.store_staff.has_group("sales_team.group_sale_salesman"),
        )
        cls.address = {
            "street": "Hohe Straße 1",
            "city": "Köln",
            "zip": "50667",
            "country_id": env.ref("base.de").id,
            "partner_latitude": 50.94,
            "partner_longitude": 6.95,
        }
        cls.customer = env["res.partner"].create(
            dict(cls.address, name="Tour Customer", email="tour@example.com")
        )
        cls.jacket = cls._tour_product("Tour Jacket", "OMNI-TJKT", 100.0)
        cls._stock(cls.jacket, cls.wh_cgn, 5)

    @classmethod
    def _tour_product(cls, name, code, price):
        return cls.env["product.product"].create(
            {
                "type": "consu",
                "is_storable": True,
                "taxes_id": [Command.clear()],
                **cls.tour_product_vals,
                "name": name,
                "default_code": code,
                "list_price": price,
            }
        )

    @classmethod
    def _stock(cls, product, warehouse, qty):
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)

    def _order(self, lines, mode, partner=None, carrier=None, **vals):
        """A confirmed sale order of the customer (or `partner`); collect orders are picked
        up in Köln; with `carrier` the delivery line is added before the confirmation."""
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
