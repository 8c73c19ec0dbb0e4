"""The same order arrives twice at the same time (RELIABILITY.md I03): two real cursors behind
a barrier. The setup is committed with its own cursor and removed afterwards."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import odoo
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install", "omni_concurrency")
class TestIntakeConcurrentDuplicate(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cls.channel_id = env["crm.team"].create({"name": "Race Shop"}).id
            cls.partner_id = env["res.partner"].create({"name": "Race Buyer", "ref": "RACE-C1"}).id
            cls.product_id = (
                env["product.product"]
                .create({"name": "Race Item", "default_code": "RACE-SKU-1", "list_price": 5})
                .id
            )

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            payloads = env["omni.intake.payload"].search([("channel_id", "=", cls.channel_id)])
            orders = payloads.intake_ids.sale_order_id
            events = env["omni.order.event"].search([("order_id", "in", orders.ids)])
            events.unlink()
            orders.unlink()
            payloads.intake_ids.attempt_ids.unlink()
            payloads.intake_ids.write({"duplicate_of_id": False})
            payloads.intake_ids.unlink()
            payloads.attachment_id.unlink()
            payloads.unlink()
            env["product.product"].browse(cls.product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(cls.partner_id).unlink()
            env["crm.team"].browse(cls.channel_id).unlink()

    def test_concurrent_duplicate_creates_one_order(self):
        body = json.dumps(
            {
                "orders": [
                    {
                        "external_ref": "RACE-1",
                        "partner": {"customer_ref": "RACE-C1"},
                        "lines": [{"sku": "RACE-SKU-1", "quantity": 1}],
                    }
                ]
            }
        ).encode()
        barrier = threading.Barrier(2)
        tries = []

        def receive():
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                channel = env["crm.team"].browse(self.channel_id)
                # read first: the snapshot is taken before the other thread commits
                self.assertTrue(channel.name)
                barrier.wait(timeout=10)

                def attempt():
                    tries.append(1)
                    return (
                        env["omni.intake.payload"]
                        ._omni_receive(channel, body, "rest", fmt="json")
                        .id
                    )

                return retrying(attempt, env)

        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(receive) for _ in range(2)]
            payload_ids = [future.result(timeout=60) for future in futures]

        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            payloads = env["omni.intake.payload"].browse(payload_ids)
            intakes = payloads.intake_ids
            self.assertEqual(len(payloads), 2, "both arrivals are kept")
            self.assertEqual(sorted(intakes.mapped("state")), ["done", "duplicate"])
            owner = intakes.filtered(lambda i: i.state == "done")
            duplicate = intakes - owner
            self.assertEqual(duplicate.duplicate_of_id, owner)
            self.assertEqual(
                env["sale.order"].search_count([("client_order_ref", "=", "RACE-1")]), 1
            )
            # the later arrival hit the unique index, was replayed and then saw the first
            self.assertGreaterEqual(len(tries), 3)
