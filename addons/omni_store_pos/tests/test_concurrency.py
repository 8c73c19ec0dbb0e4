"""Two terminals confirm the same pickup handover at the same time (RELIABILITY.md P04), and
the same POS order is synchronised twice at once (R6/P01).

Each thread works on its own real cursor, as two HTTP workers would: the setup is committed
by its own cursor and removed again afterwards (cf. omni_order/tests/test_concurrency.py).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import odoo
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "omni_concurrency")
class TestHandoverConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.ids = {}
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = env.company
            warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            cls.ids["rulesets_before"] = (
                env["omni.sourcing.ruleset"]
                .search([("company_id", "=", company.id), ("state", "=", "active")])
                .ids
            )
            node = env["omni.fulfilment.node"].create(
                {
                    "name": "Race Store",
                    "kind": "store",
                    "pickup_point": True,
                    "warehouse_id": warehouse.id,
                    "latitude": 50.94,
                    "longitude": 6.96,
                }
            )
            ruleset = env["omni.sourcing.ruleset"].create(
                {
                    "name": "Race pickups",
                    "rule_ids": [Command.create({"name": "Pickup", "mode": "collect"})],
                }
            )
            ruleset.action_activate()
            # the POS of the store, with a cash method on its own cash journal
            account = env["account.account"].create(
                {"name": "Race Cash", "code": "OMNIRACE1", "account_type": "asset_cash"}
            )
            journal = env["account.journal"].create(
                {
                    "name": "Race Cash",
                    "code": "ORCSH",
                    "type": "cash",
                    "default_account_id": account.id,
                }
            )
            method = env["pos.payment.method"].create(
                {"name": "Race Cash", "journal_id": journal.id}
            )
            config = env["pos.config"].create(
                {
                    "name": "Race POS",
                    "picking_type_id": warehouse.pos_type_id.id,
                    "payment_method_ids": [Command.set(method.ids)],
                }
            )
            staff = env["res.users"].create(
                {
                    "name": "Race Staff",
                    "login": "omni.race.staff",
                    "omni_store_warehouse_ids": [Command.set(warehouse.ids)],
                    "groups_id": [
                        Command.set(
                            [
                                env.ref("base.group_user").id,
                                env.ref("omni_store_pos.group_store_staff").id,
                            ]
                        )
                    ],
                }
            )
            session = env["pos.session"].create({"config_id": config.id, "user_id": staff.id})
            session.set_opening_control(0, "")
            partner = env["res.partner"].create(
                {"name": "Race Customer", "country_id": env.ref("base.de").id}
            )
            product = env["product.product"].create(
                {
                    "name": "Race Jacket",
                    "is_storable": True,
                    "list_price": 80.0,
                    "taxes_id": [Command.clear()],
                }
            )
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
            cls.ids.update(
                node=node.id,
                ruleset=ruleset.id,
                account=account.id,
                journal=journal.id,
                method=method.id,
                config=config.id,
                staff=staff.id,
                session=session.id,
                partner=partner.id,
                product=product.id,
                orders=[],
            )

    @classmethod
    def _cleanup(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(ids.get("orders", [])).exists()
            picking_ids = orders.picking_ids.ids
            for query, args in [
                ("DELETE FROM omni_pos_operation WHERE config_id = %s", [ids.get("config")]),
                ("DELETE FROM omni_order_event WHERE order_id = ANY(%s)", [orders.ids]),
                ("DELETE FROM pos_payment WHERE session_id = %s", [ids.get("session")]),
                ("DELETE FROM pos_order WHERE session_id = %s", [ids.get("session")]),
                ("DELETE FROM pos_session WHERE id = %s", [ids.get("session")]),
                ("DELETE FROM stock_valuation_layer WHERE product_id = %s", [ids.get("product")]),
                ("DELETE FROM stock_move_line WHERE product_id = %s", [ids.get("product")]),
                ("DELETE FROM stock_move WHERE product_id = %s", [ids.get("product")]),
                ("DELETE FROM stock_quant WHERE product_id = %s", [ids.get("product")]),
                ("DELETE FROM stock_picking WHERE id = ANY(%s)", [picking_ids]),
                ("DELETE FROM sale_order WHERE id = ANY(%s)", [orders.ids]),
            ]:
                cr.execute(query, args)
            env.invalidate_all()
            env["pos.config"].browse(ids.get("config")).exists().unlink()
            env["pos.payment.method"].browse(ids.get("method")).exists().unlink()
            env["account.journal"].browse(ids.get("journal")).exists().unlink()
            env["account.account"].browse(ids.get("account")).exists().unlink()
            env["res.users"].browse(ids.get("staff")).exists().unlink()
            product = env["product.product"].browse(ids.get("product")).exists()
            product.product_tmpl_id.unlink()
            env["res.partner"].browse(ids.get("partner")).exists().unlink()
            env["omni.sourcing.ruleset"].browse(ids.get("ruleset")).exists().unlink()
            env["omni.sourcing.ruleset"].browse(ids["rulesets_before"]).exists().action_activate()
            env["omni.fulfilment.node"].browse(ids.get("node")).exists().unlink()

    def _committed_order(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            order = env["sale.order"].create(
                {
                    "partner_id": self.ids["partner"],
                    "omni_mode": "collect",
                    "omni_pickup_node_id": self.ids["node"],
                    "order_line": [
                        Command.create({"product_id": self.ids["product"], "product_uom_qty": 2})
                    ],
                }
            )
            order.action_confirm()
            self.ids["orders"].append(order.id)
            self.assertTrue(order.omni_pickup_ready, "the store's stock makes it ready at once")
            return order.id, {str(order.order_line.id): 2}

    def _race(self, order_id, quantities, keys):
        """Both threads read the order first (their snapshot), meet at the barrier, then hand
        the order over through retrying(), as the RPC dispatcher does."""
        barrier = threading.Barrier(len(keys))
        attempts = []

        def handover(key):
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, self.ids["staff"], {})
                config = env["pos.config"].browse(self.ids["config"])
                self.assertTrue(config.omni_pickups(""))  # snapshot before the other commits
                barrier.wait(timeout=10)

                def attempt():
                    attempts.append(key)
                    return config.omni_handover(order_id, quantities, key, self.ids["method"])

                try:
                    result = retrying(attempt, env)
                except UserError as error:
                    cr.rollback()
                    return ("refused", str(error))
                cr.commit()  # pylint: disable=invalid-commit  (a real, second transaction)
                return ("done", result)

        with ThreadPoolExecutor(max_workers=len(keys)) as executor:
            futures = [executor.submit(handover, key) for key in keys]
            return [future.result(timeout=60) for future in futures], attempts

    def _effects(self, order_id):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)
            pos_orders = env["pos.order"].search([("omni_sale_order_id", "=", order_id)])
            return {
                "pickings": sorted(order.picking_ids.mapped("state")),
                "delivered": order.order_line.qty_delivered,
                "pos_orders": len(pos_orders),
                "payments": len(pos_orders.payment_ids),
                "paid": sum(pos_orders.mapped("amount_paid")),
                "operations": env["omni.pos.operation"].search_count(
                    [("sale_order_id", "=", order_id)]
                ),
                "picked_up": len(order.omni_event_ids.filtered(lambda e: e.step == "picked_up")),
                "paid_events": len(order.omni_event_ids.filtered(lambda e: e.step == "paid")),
                "on_hand": env["product.product"]
                .browse(self.ids["product"])
                .with_context(warehouse_id=order.omni_pickup_node_id.warehouse_id.id)
                .qty_available,
            }

    def _assert_handed_over_once(self, order_id, on_hand_before):
        self.assertEqual(
            self._effects(order_id),
            {
                "pickings": ["done"],
                "delivered": 2.0,
                "pos_orders": 1,
                "payments": 1,
                "paid": 160.0,
                "operations": 1,
                "picked_up": 1,
                "paid_events": 1,
                "on_hand": on_hand_before - 2,
            },
        )

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_terminals_hand_over_the_same_pickup(self):
        order_id, quantities = self._committed_order()
        on_hand = self._effects(order_id)["on_hand"]
        outcomes, attempts = self._race(order_id, quantities, ["terminal-1", "terminal-2"])
        self.assertEqual(sorted(kind for kind, _r in outcomes), ["done", "refused"])
        refused = next(message for kind, message in outcomes if kind == "refused")
        self.assertIn("already collected", refused)
        self.assertGreaterEqual(len(attempts), 3, "the waiting terminal was replayed")
        self._assert_handed_over_once(order_id, on_hand)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_same_confirmation_sent_twice_at_once(self):
        """A network retry of the same confirmation (same key) gets the first result back."""
        order_id, quantities = self._committed_order()
        on_hand = self._effects(order_id)["on_hand"]
        outcomes, _attempts = self._race(order_id, quantities, ["retry-key", "retry-key"])
        self.assertEqual([kind for kind, _r in outcomes], ["done", "done"], outcomes)
        self.assertEqual(outcomes[0][1], outcomes[1][1], "both calls answer the same receipt")
        self._assert_handed_over_once(order_id, on_hand)

    @mute_logger("odoo.sql_db", "odoo.service.model", "odoo.addons.point_of_sale.models.pos_order")
    def test_same_pos_order_synced_twice_at_once(self):
        """Two workers receive the same offline order (same uuid) at once: one pos.order."""
        uuid = "omni-race-sync-0001"
        order = {
            "uuid": uuid,
            "name": f"Order {uuid}",
            "session_id": self.ids["session"],
            "user_id": self.ids["staff"],
            "partner_id": False,
            "pricelist_id": False,
            "fiscal_position_id": False,
            "sequence_number": 1,
            "date_order": odoo.fields.Datetime.to_string(odoo.fields.Datetime.now()),
            "last_order_preparation_change": "{}",
            "amount_total": 80.0,
            "amount_tax": 0.0,
            "amount_paid": 80.0,
            "amount_return": 0.0,
            "to_invoice": False,
            "state": "paid",
            "lines": [
                Command.create(
                    {
                        "product_id": self.ids["product"],
                        "qty": 1,
                        "price_unit": 80.0,
                        "price_subtotal": 80.0,
                        "price_subtotal_incl": 80.0,
                        "tax_ids": [Command.set([])],
                        "pack_lot_ids": [],
                    }
                )
            ],
            "payment_ids": [
                Command.create(
                    {
                        "amount": 80.0,
                        "payment_method_id": self.ids["method"],
                        "name": odoo.fields.Datetime.now(),
                    }
                )
            ],
        }
        barrier = threading.Barrier(2)
        attempts = []

        def sync():
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, self.ids["staff"], {})
                env["pos.order"].search_count([])  # snapshot before the other commits
                barrier.wait(timeout=10)

                def attempt():
                    attempts.append(1)
                    return env["pos.order"].sync_from_ui([dict(order)])

                result = retrying(attempt, env)
                cr.commit()  # pylint: disable=invalid-commit  (a real, second transaction)
                return [o["id"] for o in result["pos.order"]]

        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(sync) for _i in range(2)]
            results = [future.result(timeout=60) for future in futures]
        self.assertEqual(results[0], results[1], "the second sync answers the first order")
        self.assertGreaterEqual(len(attempts), 3, "the waiting sync was replayed")
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            stored = env["pos.order"].search([("uuid", "=", uuid)])
            self.assertEqual(stored.ids, results[0])
            self.assertEqual(len(stored.payment_ids), 1)
            self.assertEqual(stored.amount_paid, 80.0)
            cr.execute("DELETE FROM omni_pos_sync_claim WHERE uuid = %s", [uuid])
