"""Order intake benchmark (issue #4, point 7). Figures only, no pass/fail.

N orders (10,000; 500 with --quick) x 3 lines, in batches of 100:

1. through the REST endpoint ``POST /omni/api/v1/orders`` via Odoo's real WSGI application
   (``werkzeug.test.Client(odoo.http.root)``: routing, API-key check, JSON parsing, payload
   kept as attachment, UNIQUE claim, batched mapping, ``sale.order.create``, commit per call);
2. the same orders created directly with the ORM (``sale.order.create`` with the same lines,
   one transaction per batch of 100);

side by side in one run, as orders/s and the ratio (target <= 1.5). Both paths write the
``received`` timeline event; the REST path adds the payload, intakes, attempts and the
``validated`` event. Set OMNI_BENCH_INTAKE_DB to reuse another database that has omni_order.
"""

import json
import os
import time
import uuid

import common

import odoo
from odoo.fields import Command

DB = os.environ.get("OMNI_BENCH_INTAKE_DB", "omni_bench_intake")
KEY = "bench-intake-key-0123456789"
BATCH = 100
LINES = 3
N_PRODUCTS = 200


def _prepare():
    """Channel, customer and products, committed once and reused."""
    with common.environment(DB, commit=True) as env:
        channel = env["crm.team"].search([("name", "=", "Bench Intake Shop")], limit=1)
        if not channel:
            channel = env["crm.team"].create({"name": "Bench Intake Shop"})
            channel.omni_api_key = KEY
        partner = env["res.partner"].search([("ref", "=", "BENCH-INTAKE")], limit=1)
        if not partner:
            partner = env["res.partner"].create(
                {
                    "name": "Bench Intake Customer",
                    "ref": "BENCH-INTAKE",
                    "email": "bench-intake@example.com",
                    "country_id": env.ref("base.de").id,
                }
            )
        products = env["product.product"].search(
            [("default_code", "=like", "BENCH-IN-%")], order="id"
        )
        if len(products) < N_PRODUCTS:
            products |= env["product.product"].create(
                [
                    {
                        "name": f"Bench Intake {i}",
                        "default_code": f"BENCH-IN-{i:04d}",
                        "type": "consu",
                        "list_price": 10 + i % 50,
                    }
                    for i in range(len(products), N_PRODUCTS)
                ]
            )
        return channel.id, partner.id, {p.default_code: p.id for p in products}


def _orders(n, run):
    """The same plain order data for both paths."""
    codes = [f"BENCH-IN-{i:04d}" for i in range(N_PRODUCTS)]
    return [
        {
            "external_ref": f"{run}-{i}",
            "partner": {"customer_ref": "BENCH-INTAKE"},
            "lines": [
                {"sku": codes[(i * 7 + k * 13) % N_PRODUCTS], "quantity": 1 + k}
                for k in range(LINES)
            ],
        }
        for i in range(n)
    ]


def _rest(orders):
    from werkzeug.test import Client

    odoo.tools.config["db_name"] = DB  # the one database: auth="public" routes find it
    client = Client(odoo.http.root)
    timer = common.Timer()
    created = 0
    start = time.perf_counter()
    for i in range(0, len(orders), BATCH):
        body = json.dumps({"orders": orders[i : i + BATCH]}).encode()
        with timer.measure():
            response = client.post(
                "/omni/api/v1/orders",
                data=body,
                headers={"X-Omni-Api-Key": KEY, "Content-Type": "application/json"},
            )
        if response.status_code != 200:
            raise RuntimeError(f"REST call failed: {response.status_code} {response.text[:300]}")
        created += sum(1 for o in response.json["orders"] if o["status"] == "created")
    elapsed = time.perf_counter() - start
    if created != len(orders):
        raise RuntimeError(f"only {created} of {len(orders)} orders created through REST")
    return timer, len(orders) / elapsed


def _orm(orders, channel_id, partner_id, products):
    registry = odoo.modules.registry.Registry(DB)
    timer = common.Timer()
    start = time.perf_counter()
    for i in range(0, len(orders), BATCH):
        with timer.measure(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["sale.order"].create(
                [
                    {
                        # the values the intake gives its orders (no salesperson: the
                        # channel's API user has none)
                        "partner_id": partner_id,
                        "partner_invoice_id": partner_id,
                        "partner_shipping_id": partner_id,
                        "user_id": False,
                        "team_id": channel_id,
                        "client_order_ref": order["external_ref"],
                        "origin": "bench",
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": products[line["sku"]],
                                    "product_uom_qty": line["quantity"],
                                }
                            )
                            for line in order["lines"]
                        ],
                    }
                    for order in orders[i : i + BATCH]
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit
    return timer, len(orders) / (time.perf_counter() - start)


def main(config_path, quick=False):
    n = int(os.environ.get("OMNI_BENCH_INTAKE_N", 500 if quick else 10000))
    common.ensure_db(config_path, DB, ["omni_order"])
    channel_id, partner_id, products = _prepare()
    run = uuid.uuid4().hex[:8]
    print(f" {n} orders x {LINES} lines, batches of {BATCH}, database {DB}", flush=True)
    # warm-up (registry, caches, first requests), not measured
    _orm(_orders(BATCH, f"WORM{run}"), channel_id, partner_id, products)
    _rest(_orders(BATCH, f"WAPI{run}"))
    orm_timer, orm_rate = _orm(_orders(n, f"ORM{run}"), channel_id, partner_id, products)
    rest_timer, rest_rate = _rest(_orders(n, f"API{run}"))
    common.report("ORM sale.order.create", f"{orm_rate:.1f}", "orders/s", orm_timer.summary())
    common.report(
        "REST /omni/api/v1/orders (WSGI)", f"{rest_rate:.1f}", "orders/s", rest_timer.summary()
    )
    common.report(
        "ratio REST / ORM (time per order)", f"{orm_rate / rest_rate:.2f}", "x", "target <= 1.5"
    )
