import json

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

URL = "/omni/api/v1/availability"


@tagged("post_install", "-at_install")
class TestAvailabilityHttp(HttpCase):
    """The availability API over HTTP: key per channel, network total and per node, the
    channel's own safety stock deducted, nothing of other channels' view."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        store = env["stock.warehouse"].create({"name": "HTTP Store", "code": "THTP"})
        cls.shop = env["crm.team"].create({"name": "Web Shop"})
        cls.market = env["crm.team"].create({"name": "Marketplace"})
        cls.shop.sudo().omni_api_key = "shop-key-abcdef"
        cls.market.sudo().omni_api_key = "market-key-ghijkl"
        env["omni.fulfilment.node"].create(
            [
                {
                    "name": "HTTP DC",
                    "kind": "dc",
                    "warehouse_id": warehouse.id,
                    "safety_stock_ids": [
                        Command.create({"team_id": cls.market.id, "quantity": 1})
                    ],
                },
                {
                    "name": "HTTP Store",
                    "kind": "store",
                    "warehouse_id": store.id,
                    "safety_stock_ids": [Command.create({"team_id": cls.shop.id, "quantity": 2})],
                },
            ]
        )
        cls.product = env["product.product"].create(
            {"name": "HTTP Lamp", "default_code": "HTTP-1", "is_storable": True}
        )
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.product, warehouse.lot_stock_id, 4)
        Quant._update_available_quantity(cls.product, store.lot_stock_id, 3)

    def _get(self, key=None, query="skus=HTTP-1"):
        headers = {"X-Omni-Api-Key": key} if key is not None else {}
        return self.url_open(f"{URL}?{query}", headers=headers)

    def test_no_or_wrong_key_is_refused(self):
        for key in (None, "", "wrong-key", "shop-key-abcde"):
            with self.subTest(key=key):
                response = self._get(key)
                self.assertIn(response.status_code, (401, 403))
                self.assertNotIn("HTTP Store", response.text)
                self.assertEqual(json.loads(response.text), {"error": "invalid api key"})

    def test_valid_key_gives_network_and_nodes_minus_safety(self):
        response = self._get("shop-key-abcdef")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/json", response.headers["Content-Type"])
        data = response.json()
        self.assertEqual(data["channel"], "Web Shop")
        [product] = data["products"]
        self.assertEqual(product["sku"], "HTTP-1")
        # store: 3 on hand - 2 safety for the web shop = 1; DC 4 (the marketplace's safety
        # stock at the DC does not concern the web shop)
        self.assertEqual(product["available"], 5)
        self.assertEqual(
            sorted((n["node"], n["available"]) for n in product["nodes"]),
            [("HTTP DC", 4), ("HTTP Store", 1)],
        )

    def test_channel_sees_only_its_own_view(self):
        market = self._get("market-key-ghijkl").json()
        self.assertEqual(market["channel"], "Marketplace")
        self.assertEqual(
            sorted((n["node"], n["available"]) for n in market["products"][0]["nodes"]),
            [("HTTP DC", 3), ("HTTP Store", 3)],
        )
        # asking for another channel in the query changes nothing: the key decides
        for query in (
            f"skus=HTTP-1&team_id={self.market.id}",
            "skus=HTTP-1&channel=Marketplace",
        ):
            with self.subTest(query=query):
                shop = self._get("shop-key-abcdef", query).json()
                self.assertEqual(shop["channel"], "Web Shop")
                self.assertEqual(shop["products"][0]["available"], 5)
                self.assertNotIn("Marketplace", json.dumps(shop))
                self.assertNotIn("market-key", json.dumps(shop))

    def test_bad_requests(self):
        self.assertEqual(self._get("shop-key-abcdef", "").status_code, 400)
        self.assertEqual(self._get("shop-key-abcdef", "product_ids=x").status_code, 400)
        by_id = self._get("shop-key-abcdef", f"product_ids={self.product.id}").json()
        self.assertEqual(by_id["products"][0]["available"], 5)
