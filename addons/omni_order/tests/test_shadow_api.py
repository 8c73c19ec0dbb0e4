import base64

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from ..controllers.main import OmniAvailabilityController
from .common import OmniNetworkCommon


@tagged("post_install", "-at_install")
class TestShadowAndFeed(OmniNetworkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._omni_stock(cls.product_a, cls.wh_muc, 5)
        cls._omni_stock(cls.product_a, cls.wh_dc, 5)

    def test_shadow_mode_changes_nothing(self):
        orders = self.env["sale.order"]
        for _i in range(3):
            orders |= self._omni_create_order([(self.product_a, 1)], partner=self.customer_muc)
        orders.action_confirm()
        self.assertEqual(orders.picking_ids.picking_type_id.warehouse_id, self.wh_muc)
        draft = self.env["omni.sourcing.ruleset"].create(
            {
                "name": "DC only",
                "rule_ids": [Command.create({"name": "DC", "allow_store": False})],
            }
        )
        decisions = orders.omni_decision_ids
        shadow = self.env["omni.sourcing.shadow"].create(
            {"ruleset_id": draft.id, "order_count": 2}
        )
        shadow.action_run()
        self.assertEqual(len(shadow.line_ids), 2)
        self.assertEqual(shadow.line_ids.mapped("nodes_active"), ["München", "München"])
        self.assertEqual(shadow.line_ids.mapped("nodes_draft"), ["DC Hamburg", "DC Hamburg"])
        self.assertEqual(shadow.changed_count, 2)
        self.assertGreater(shadow.distance_draft, shadow.distance_active)
        self.assertEqual(orders.omni_decision_ids, decisions)
        self.assertEqual(draft.state, "draft")

    def test_supplier_feed_import(self):
        vendor = self.env["res.partner"].create({"name": "Vendor"})
        node = self.env["omni.fulfilment.node"].create(
            {"name": "Vendor", "kind": "supplier", "partner_id": vendor.id}
        )
        feed = self.env["omni.supplier.feed"].create(
            {
                "node_id": node.id,
                "file": base64.b64encode(b"sku;quantity\nOMNI-A;7\nUNKNOWN;2\nOMNI-B;x\n"),
                "filename": "feed.csv",
            }
        )
        feed.action_import()
        self.assertEqual(feed.state, "done")
        self.assertEqual(node.supplier_stock_ids.product_id, self.product_a)
        self.assertEqual(node.supplier_stock_ids.quantity, 7)
        self.assertIn("UNKNOWN", feed.message)
        self.assertTrue(feed.file, "the file is kept with the feed")


@tagged("post_install", "-at_install")
class TestAvailabilityApi(TransactionCase):
    def setUp(self):
        super().setUp()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        store = self.env["stock.warehouse"].create({"name": "API Store", "code": "TAPI"})
        self.team = self.env["crm.team"].create({"name": "Web API"})
        self.team.sudo().omni_api_key = "test-key-123"
        self.env["omni.fulfilment.node"].create(
            [
                {"name": "API DC", "kind": "dc", "warehouse_id": warehouse.id},
                {
                    "name": "API Store",
                    "kind": "store",
                    "warehouse_id": store.id,
                    "safety_stock_ids": [Command.create({"team_id": self.team.id, "quantity": 2})],
                },
            ]
        )
        self.product = self.env["product.product"].create(
            {"name": "API Product", "default_code": "API-1", "is_storable": True}
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.product, warehouse.lot_stock_id, 4)
        Quant._update_available_quantity(self.product, store.lot_stock_id, 3)

    def test_availability(self):
        Team = self.env["crm.team"].sudo()
        self.assertEqual(Team._omni_availability_response("wrong", "API-1")[0], 401)
        self.assertEqual(Team._omni_availability_response("", "API-1")[0], 401)
        self.assertEqual(Team._omni_availability_response("test-key-123")[0], 400)
        self.assertEqual(Team._omni_availability_response("test-key-123", "", "x")[0], 400)
        status, data = Team._omni_availability_response("test-key-123", "API-1")
        self.assertEqual(status, 200)
        self.assertEqual(data["channel"], "Web API")
        product = data["products"][0]
        # store: 3 on hand - 2 safety for this channel = 1; DC 4
        self.assertEqual(product["available"], 5)
        self.assertEqual(
            sorted((n["node"], n["available"]) for n in product["nodes"]),
            [("API DC", 4), ("API Store", 1)],
        )
        # another channel without safety stock sees all 3 store units
        other = self.env["crm.team"].create({"name": "POS"})
        other.sudo().omni_api_key = "pos-key"
        _status, data = Team._omni_availability_response("pos-key", "", str(self.product.id))
        self.assertEqual(data["products"][0]["available"], 7)
        # the HTTP route delegates to this method
        routing = OmniAvailabilityController.availability.original_routing
        self.assertEqual(routing["routes"], ["/omni/api/v1/availability"])
