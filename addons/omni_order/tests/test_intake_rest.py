import json

from odoo.tests import HttpCase, tagged

from .common import OmniIntakeCommon

URL = "/omni/api/v1/orders"


@tagged("post_install", "-at_install")
class TestIntakeRest(OmniIntakeCommon, HttpCase):
    """``POST /omni/api/v1/orders`` through Odoo's HTTP stack: key, batch results, duplicates,
    broken and oversized bodies (kept as payloads in error)."""

    def _post(self, body, key="intake-key-0123456789"):
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["X-Omni-Api-Key"] = key
        return self.url_open(URL, data=body, headers=headers, timeout=120)

    def _payloads(self):
        return self.env["omni.intake.payload"].search([("channel_id", "=", self.channel.id)])

    def test_valid_batch_per_order_results(self):
        body = self._intake_body(
            self._intake_order("SHOP-1"),
            self._intake_order("SHOP-2", lines=[{"sku": "OMNI-B", "quantity": 1}]),
            self._intake_order("SHOP-3", lines=[{"ean": "4099999999994", "quantity": 1}]),
        )
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        result = response.json()
        self.assertEqual(
            [(o["ref"], o["status"]) for o in result["orders"]],
            [("SHOP-1", "created"), ("SHOP-2", "created"), ("SHOP-3", "error")],
        )
        self.assertEqual(result["orders"][2]["messages"], ["Line 1: unknown EAN 4099999999994."])
        payload = self._payloads()
        self.assertEqual(payload.attachment_id.raw, body)
        orders = payload.intake_ids.sale_order_id
        self.assertEqual(
            sorted(orders.mapped("name")), sorted(o["order"] for o in result["orders"][:2])
        )
        self.assertEqual(orders.team_id, self.channel)

    def test_duplicates_in_batch_and_second_call(self):
        body = self._intake_body(self._intake_order("SHOP-9"), self._intake_order("SHOP-9"))
        first = self._post(body).json()["orders"]
        self.assertEqual([o["status"] for o in first], ["created", "duplicate"])
        self.assertEqual(first[1]["order"], first[0]["order"])
        again = self._post(self._intake_body(self._intake_order("SHOP-9"))).json()["orders"]
        self.assertEqual(again[0]["status"], "duplicate")
        self.assertEqual(again[0]["order"], first[0]["order"])
        self.assertEqual(
            self.env["sale.order"].search_count([("client_order_ref", "=", "SHOP-9")]), 1
        )
        self.assertEqual(len(self._payloads()), 2)

    def test_wrong_key_stores_nothing(self):
        for key in (None, "", "intake-key-012345678", "nope"):
            with self.subTest(key=key):
                response = self._post(self._intake_body(self._intake_order("K-1")), key=key)
                self.assertEqual(response.status_code, 401)
        self.assertFalse(self._payloads())

    def test_malformed_json_kept_and_explained(self):
        response = self._post(b'{"orders": [{"external_ref": "X",')
        self.assertEqual(response.status_code, 400)
        self.assertIn("not valid JSON", response.json()["messages"][0])
        payload = self._payloads()
        self.assertRecordValues(payload, [{"state": "error", "source": "rest"}])
        self.assertEqual(payload.attachment_id.raw, b'{"orders": [{"external_ref": "X",')

    def test_20_mb_payload_refused_but_kept(self):
        order = self._intake_order("BIG-1", note="x" * (20 * 1024 * 1024))
        body = self._intake_body(order)
        response = self._post(body)
        self.assertEqual(response.status_code, 413)
        self.assertIn("limit is 10485760 bytes", response.json()["messages"][0])
        payload = self._payloads()
        self.assertRecordValues(payload, [{"state": "error", "size": len(body)}])
        self.assertEqual(len(payload.attachment_id.raw), len(body))
        self.assertFalse(payload.intake_ids)
        # the channel's limit raised: replay reads the kept bytes into an order
        self.channel.omni_intake_max_size = 32 * 1024 * 1024
        payload.action_replay()
        self.assertEqual(payload.state, "parsed")
        self.assertEqual(payload.intake_ids.state, "done")
        self.assertEqual(json.loads(payload.intake_ids.draft)["external_ref"], "BIG-1")
