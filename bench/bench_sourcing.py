"""Sourcing benchmarks (issue #3, point 11). Figures only, no pass/fail.

1. Engine time per order (pure Python) at 20 / 200 / 2,000 nodes, 20,000 stocked products.
2. End-to-end confirmation of N orders: Omni (sourcing over 6 nodes) vs plain Odoo (sale_stock
   + stock_dropshipping, no Omni), measured side by side in this run; reported as a ratio.
3. The same with 2 workers competing for 3 hot products: throughput, retry rate and
   over-reservations (must be 0).
"""

import random
import threading
import time

import common

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import retrying

OMNI_DB = "omni_bench_sourcing"
PLAIN_DB = "omni_bench_plain"
STORES = [
    ("Berlin", "BBER", 52.52, 13.40),
    ("München", "BMUC", 48.14, 11.58),
    ("Köln", "BCGN", 50.94, 6.96),
    ("Frankfurt", "BFRA", 50.11, 8.68),
    ("Stuttgart", "BSTR", 48.78, 9.18),
]


def _engine_bench(quick):
    odoo.modules.module.initialize_sys_path()
    from odoo.addons.omni_order.sourcing import Line, Node, Request, Rule, SourcingEngine

    n_products = 5000 if quick else 20000
    rng = random.Random(7)
    for n_nodes in (20, 200, 2000):
        nodes = [
            Node(
                i,
                f"N{i}",
                "dc" if i <= max(1, n_nodes // 100) else "store",
                rng.uniform(47.5, 54.5),
                rng.uniform(6.0, 14.5),
                capacity=100,
                capacity_left=rng.randint(0, 100),
                cost=rng.uniform(3, 9),
            )
            for i in range(1, n_nodes + 1)
        ]
        dcs = [n.id for n in nodes if n.kind == "dc"]
        stock = {}
        per_product = min(n_nodes, 40)
        for product in range(n_products):
            for dc in dcs[:2]:
                if rng.random() < 0.8:
                    stock[dc, product] = rng.randint(1, 50)
            for node_id in rng.sample(range(1, n_nodes + 1), per_product):
                stock[node_id, product] = rng.randint(1, 6)
        engine = SourcingEngine(nodes, stock)
        rule = Rule(name="bench", max_shipments=3)
        requests = []
        for order in range(300 if quick else 1000):
            lines = tuple(
                Line(k, rng.randrange(n_products), rng.randint(1, 2), 20.0, name=f"P{k}")
                for k in range(rng.randint(1, 5))
            )
            requests.append(
                Request(f"B{order}", lines, rng.uniform(47.5, 54.5), rng.uniform(6, 14.5))
            )
        # one pass as the orders come; then each order's best of 3 runs (``source`` does not
        # change the engine), which discounts the scheduler on a shared 2-core machine
        timer, best = common.Timer(), common.Timer()
        runs = [[] for _request in requests]
        for repeat in range(3):
            for index, request in enumerate(requests):
                start = time.perf_counter()
                engine.source(request, rule)
                runs[index].append(time.perf_counter() - start)
                if repeat == 0:
                    timer.samples.append(runs[index][-1])
        best.samples = [min(times) for times in runs]
        label = f"engine per order, {n_nodes} nodes x {n_products} products"
        common.report(label, "", "", timer.summary())
        common.report(f"{label}, best of 3", "", "", best.summary() + " (target p95 < 5 ms)")


def _prepare(dbname, omni, n_products):
    with common.environment(dbname, commit=True) as env:
        env = env(context=dict(env.context, tracking_disable=True))
        products = env["product.product"].search([("default_code", "=like", "BENCH-%")])
        if not products:
            products = env["product.product"].create(
                [
                    {
                        "name": f"Bench {i}",
                        "default_code": f"BENCH-{i:04d}",
                        "is_storable": True,
                        "list_price": 20,
                    }
                    for i in range(n_products)
                ]
            )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        warehouses = [warehouse]
        for name, code, _lat, _lon in STORES:
            wh = env["stock.warehouse"].search([("code", "=", code)])
            warehouses.append(wh or env["stock.warehouse"].create({"name": name, "code": code}))
        de = env.ref("base.de")
        partner = env["res.partner"].search([("name", "=", "Bench Customer")], limit=1)
        if not partner:
            partner = env["res.partner"].create(
                {
                    "name": "Bench Customer",
                    "country_id": de.id,
                    "zip": "80331",
                    "partner_latitude": 48.13,
                    "partner_longitude": 11.58,
                }
            )
        if omni and not env["omni.fulfilment.node"].search_count([]):
            env["omni.fulfilment.node"].create(
                [
                    {
                        "name": "DC",
                        "kind": "dc",
                        "warehouse_id": warehouse.id,
                        "latitude": 53.55,
                        "longitude": 9.99,
                        "cost_per_shipment": 4.9,
                    }
                ]
                + [
                    {
                        "name": name,
                        "kind": "store",
                        "warehouse_id": wh.id,
                        "latitude": lat,
                        "longitude": lon,
                        "cost_per_shipment": 6.5,
                    }
                    for (name, _code, lat, lon), wh in zip(STORES, warehouses[1:], strict=True)
                ]
            )
            ruleset = env["omni.sourcing.ruleset"].create(
                {"name": "Bench", "rule_ids": [Command.create({"name": "All"})]}
            )
            ruleset.action_activate()
        # top up stock so that no order runs out (same quantities in both databases)
        quants = env["stock.quant"]
        for index, product in enumerate(products):
            for position, wh in enumerate(warehouses):
                if position == 0 or (index + position) % 3 == 0:
                    quants._update_available_quantity(product, wh.lot_stock_id, 1000)
        return products.ids, partner.id


def _confirm_orders(dbname, product_ids, partner_id, n_orders, seed):
    rng = random.Random(seed)
    timer = common.Timer()
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        order_ids = []
        for _i in range(n_orders):
            order = env["sale.order"].create(
                {
                    "partner_id": partner_id,
                    "order_line": [
                        Command.create({"product_id": pid, "product_uom_qty": 1})
                        for pid in rng.sample(product_ids, 3)
                    ],
                }
            )
            order_ids.append(order.id)
        cr.commit()  # pylint: disable=invalid-commit
        start = time.perf_counter()
        for order_id in order_ids:
            with timer.measure():
                retrying(env["sale.order"].browse(order_id).action_confirm, env)
                cr.commit()  # pylint: disable=invalid-commit
            env.invalidate_all()
        elapsed = time.perf_counter() - start
    return timer, n_orders / elapsed


def _hot_race(dbname, omni, n_per_worker):
    """2 workers, 3 hot products, little stock: throughput, retries, over-reservations."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        hot = env["product.product"].create(
            [{"name": f"Hot {i}", "is_storable": True, "list_price": 20} for i in range(3)]
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        for product in hot:
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, n_per_worker // 2
            )
        partner = env["res.partner"].search([("name", "=", "Bench Customer")], limit=1)
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": hot[i % 3].id})],
                }
                for i in range(2 * n_per_worker)
            ]
        )
        cr.commit()  # pylint: disable=invalid-commit
        order_ids = orders.ids
        hot_ids = hot.ids
    barrier = threading.Barrier(2)
    attempts = [0, 0]

    def worker(index):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            barrier.wait(timeout=30)
            for order_id in order_ids[index::2]:

                def attempt(order_id=order_id):
                    attempts[index] += 1
                    env["sale.order"].browse(order_id).action_confirm()

                retrying(attempt, env)
                cr.commit()  # pylint: disable=invalid-commit
                env.invalidate_all()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT COUNT(*) FROM (
                SELECT product_id, location_id FROM stock_quant WHERE product_id = ANY(%s)
              GROUP BY product_id, location_id
                HAVING SUM(reserved_quantity) > SUM(quantity)) t
            """,
            [hot_ids],
        )
        over = cr.fetchone()[0]
        cr.execute(
            "SELECT COUNT(*) FROM sale_order WHERE id = ANY(%s) AND state = 'sale'", [order_ids]
        )
        confirmed = cr.fetchone()[0]
    total = len(order_ids)
    label = "omni" if omni else "plain"
    retries = sum(attempts) - total
    common.report(
        f"hot products, 2 workers, {label}: throughput",
        f"{total / elapsed:.1f}",
        "orders/s",
        f"{confirmed}/{total} confirmed",
    )
    common.report(
        f"hot products, 2 workers, {label}: retry rate",
        f"{100.0 * retries / total:.1f}",
        "%",
        f"{retries} retries",
    )
    common.report(
        f"hot products, 2 workers, {label}: over-reserved (product, location)",
        over,
        "",
        "must be 0 with Omni",
    )


def main(config_path, quick=False):
    print(" engine (pure Python)", flush=True)
    _engine_bench(quick)
    n_orders = 100 if quick else 1000
    n_products = 200 if quick else 1000
    common.ensure_db(config_path, OMNI_DB, ["omni_order"])
    common.ensure_db(config_path, PLAIN_DB, ["sale_stock", "stock_dropshipping"])
    omni_products, omni_partner = _prepare(OMNI_DB, True, n_products)
    plain_products, plain_partner = _prepare(PLAIN_DB, False, n_products)
    print(f" end-to-end confirmation, {n_orders} orders x 3 lines, commit per order", flush=True)
    plain_timer, plain_rate = _confirm_orders(PLAIN_DB, plain_products, plain_partner, n_orders, 1)
    omni_timer, omni_rate = _confirm_orders(OMNI_DB, omni_products, omni_partner, n_orders, 1)
    common.report("plain Odoo confirm", f"{plain_rate:.1f}", "orders/s", plain_timer.summary())
    common.report("Omni confirm (sourcing)", f"{omni_rate:.1f}", "orders/s", omni_timer.summary())
    common.report(
        "ratio Omni / plain (time per order)",
        f"{plain_rate / omni_rate:.2f}",
        "x",
        "target <= 1.3",
    )
    n_hot = 20 if quick else 60
    _hot_race(PLAIN_DB, False, n_hot)
    _hot_race(OMNI_DB, True, n_hot)
