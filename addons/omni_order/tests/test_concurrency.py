"""Two real cursors confirm orders for the last unit at the same time (RELIABILITY.md R1-R4).

These tests commit their setup with their own cursors and remove it afterwards."""

import threading
from concurrent.futures import ThreadPoolExecutor

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "omni_concurrency")
class TestLastUnitConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        cls.ids = {"orders": [], "products": [], "nodes": [], "rulesets": []}
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            de = env.ref("base.de")
            node = env["omni.fulfilment.node"].create(
                {"name": "Concurrency DC", "kind": "dc", "warehouse_id": warehouse.id}
            )
            ruleset = env["omni.sourcing.ruleset"].create(
                {"name": "Concurrency", "rule_ids": [Command.create({"name": "All"})]}
            )
            ruleset.action_activate()
            cls.partner_id = (
                env["res.partner"].create({"name": "Race Customer", "country_id": de.id}).id
            )
            cls.ids["nodes"].append(node.id)
            cls.ids["rulesets"].append(ruleset.id)
            cls.location_id = warehouse.lot_stock_id.id

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(cls.ids["orders"]).exists()
            pickings = orders.picking_ids
            orders._action_cancel()
            pickings.filtered(lambda p: p.state != "cancel").action_cancel()
            pickings.unlink()
            orders.unlink()
            products = env["product.product"].browse(cls.ids["products"]).exists()
            if products:
                cr.execute(
                    "DELETE FROM stock_move_line WHERE product_id = ANY(%s)", [products.ids]
                )
                cr.execute("DELETE FROM stock_move WHERE product_id = ANY(%s)", [products.ids])
                cr.execute("DELETE FROM stock_quant WHERE product_id = ANY(%s)", [products.ids])
                products.product_tmpl_id.unlink()
            env["omni.sourcing.ruleset"].browse(cls.ids["rulesets"]).unlink()
            env["omni.fulfilment.node"].browse(cls.ids["nodes"]).unlink()
            env["res.partner"].browse(cls.partner_id).unlink()

    def _setup_race(self, stock_per_product, lines_per_order):
        """Commit products with stock and two draft orders; return their ids."""
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            location = env["stock.location"].browse(self.location_id)
            products = env["product.product"].create(
                [
                    {"name": f"Hot {i}", "is_storable": True, "list_price": 10}
                    for i in range(len(stock_per_product))
                ]
            )
            for product, qty in zip(products, stock_per_product, strict=True):
                env["stock.quant"]._update_available_quantity(product, location, qty)
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": self.partner_id,
                        "order_line": [
                            Command.create({"product_id": products[i].id, "product_uom_qty": 1})
                            for i in lines
                        ],
                    }
                    for lines in lines_per_order
                ]
            )
            self.ids["products"] += products.ids
            self.ids["orders"] += orders.ids
            return products.ids, orders.ids

    def _race(self, order_ids):
        barrier = threading.Barrier(len(order_ids))
        tries = []

        def confirm(order_id):
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                # read first: the snapshot is taken before the other thread commits
                self.assertTrue(order.name)
                barrier.wait(timeout=10)

                def attempt():
                    tries.append(order_id)
                    order.action_confirm()

                retrying(attempt, env)
                cr.commit()  # pylint: disable=invalid-commit

        with ThreadPoolExecutor(max_workers=len(order_ids)) as executor:
            futures = [executor.submit(confirm, oid) for oid in order_ids]
            for future in futures:
                future.result(timeout=60)
        return tries

    def _check(self, product_ids, order_ids):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(order_ids)
            cr.execute(
                """
                SELECT product_id, location_id FROM stock_quant
                 WHERE product_id = ANY(%s)
              GROUP BY product_id, location_id
                HAVING SUM(reserved_quantity) > SUM(quantity)
                """,
                [product_ids],
            )
            self.assertEqual(cr.fetchall(), [], "more reserved than on hand")
            return [(o.state, o.omni_sourcing_state) for o in orders]

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_last_unit_two_orders(self):
        product_ids, order_ids = self._setup_race([1], [[0], [0]])
        tries = self._race(order_ids)
        states = sorted(self._check(product_ids, order_ids))
        self.assertEqual(states, [("draft", "held"), ("sale", "sourced")])
        self.assertGreaterEqual(len(tries), 2)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_crossed_lines_no_deadlock(self):
        # order 1 wants A then B, order 2 wants B then A, one unit each: locks are id-ordered
        product_ids, order_ids = self._setup_race([1, 1], [[0, 1], [1, 0]])
        self._race(order_ids)
        states = sorted(self._check(product_ids, order_ids))
        self.assertEqual(states, [("draft", "held"), ("sale", "sourced")])
