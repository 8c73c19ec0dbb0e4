"""omni_carrier: 500 labels in bulk against the simulators, and webhook ingestion of 10,000 events.

Figures only. The label run goes through the real path (outbox rows, queue_job jobs performed
one after the other like a single job runner worker) and is compared with the simulator's own
floor: the same create calls made by a bare client loop, measured side by side.
"""

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import ensure_db, environment, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addons" / "omni_carrier"))

DB = "omni_bench_carrier"


def _setup(env, sim, n):
    from odoo.addons.omni_carrier.carriers.dhl import DhlClient  # noqa: F401 (import check)

    account = env["omni.carrier.account"].create(
        {
            "name": "bench dhl",
            "carrier_code": "dhl",
            "base_url": sim.url + "/dhl",
            "username": "user-valid",
            "password": "SandboxPasswort2023!",
            "client_id": "sim-client",
            "client_secret": "sim-secret",
            "billing_number": "33333333330102",
        }
    )
    product = env["product.product"].create({"name": "bench ship", "type": "service"})
    carrier = env["delivery.carrier"].create(
        {
            "name": "bench dhl",
            "delivery_type": "omni_dhl",
            "product_id": product.id,
            "omni_account_id": account.id,
        }
    )
    partner = env["res.partner"].create(
        {
            "name": "Bench Kunde",
            "street": "Heidestr. 17",
            "zip": "51147",
            "city": "Köln",
            "country_id": env.ref("base.de").id,
        }
    )
    warehouse = env["stock.warehouse"].search([], limit=1)
    item = env["product.product"].create({"name": "bench item", "type": "consu", "weight": 1.0})
    pickings = env["stock.picking"].create(
        [
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": partner.id,
                "carrier_id": carrier.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "bench",
                            "product_id": item.id,
                            "product_uom_qty": 1,
                            "product_uom": item.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
            for _i in range(n)
        ]
    )
    return account, pickings


def main(config_path, quick=False):
    from odoo.addons.omni_carrier.carriers.common import TrackingEvent
    from odoo.addons.omni_carrier.carriers.dhl import DhlClient
    from odoo.addons.omni_carrier.simulators.server import Simulator
    from odoo.addons.queue_job.job import Job

    n_labels = 50 if quick else 500
    n_events = 1000 if quick else 10000
    ensure_db(config_path, DB, ["omni_carrier"])
    sim = Simulator(step_seconds=1e9).start()
    try:
        # --- floor: bare client loop ---
        client = DhlClient(
            sim.url + "/dhl",
            "user-valid",
            "SandboxPasswort2023!",
            "sim-client",
            "sim-secret",
            "33333333330102",
        )
        addr = {
            "name": "Bench Kunde",
            "street": "Heidestr.",
            "house": "17",
            "zip": "51147",
            "city": "Köln",
            "country": "DE",
        }
        start = time.perf_counter()
        for i in range(n_labels):
            client.create_shipment(
                {
                    "reference": f"FLOOR-{i}",
                    "shipper": addr,
                    "recipient": addr,
                    "parcels": [{"weight": 1.0}],
                }
            )
        floor = time.perf_counter() - start

        # --- Omni: outbox rows + jobs ---
        with environment(DB, commit=True) as env:
            account, pickings = _setup(env, sim, n_labels)
            start = time.perf_counter()
            pickings.action_omni_request_labels()
            enqueue = time.perf_counter() - start
            uuids = pickings.omni_shipment_ids.mapped("job_uuid")
        start = time.perf_counter()
        with environment(DB, commit=True) as env:
            for uuid in uuids:
                job = Job.load(env, uuid)
                job.perform()
                job.set_done()
                job.store()
        omni = time.perf_counter() - start
        report("labels: bare client loop (simulator floor)", f"{n_labels / floor:.1f}", "labels/s")
        report(
            "labels: request in bulk (outbox rows + jobs queued)",
            f"{enqueue * 1000:.0f}",
            "ms",
            f"{n_labels} pickings",
        )
        report("labels: Omni jobs (one worker)", f"{n_labels / omni:.1f}", "labels/s")
        report("labels: Omni / floor time ratio", f"{omni / floor:.2f}", "x", "1.00 = no overhead")

        # --- webhook ingestion ---
        with environment(DB, commit=False) as env:
            parcels = env["omni.carrier.parcel"].search(
                [("account_id", "=", account.id)], limit=500
            )
            codes = ["AE", "AA", "EE", "NB", "PO", "ZU"]
            base = datetime(2030, 1, 1)
            batches = []
            batch = []
            for i in range(n_events):
                parcel = parcels[i % len(parcels)]
                batch.append(
                    TrackingEvent(
                        parcel.tracking_number,
                        f"bench-{time.time_ns()}-{i}",
                        codes[(i // len(parcels)) % 6],
                        "Bench-Ereignis",
                        base + timedelta(minutes=i),
                        "Köln",
                    )
                )
                if len(batch) == 50:
                    batches.append(batch)
                    batch = []
            if batch:
                batches.append(batch)
            Event = env["omni.carrier.event"]
            start = time.perf_counter()
            stored = sum(Event._omni_ingest("dhl", b, source="webhook") for b in batches)
            ingest = time.perf_counter() - start
            start = time.perf_counter()
            dup = sum(Event._omni_ingest("dhl", b, source="webhook") for b in batches)
            dup_time = time.perf_counter() - start
        report(
            "webhook ingestion (batches of 50 events)",
            f"{stored / ingest:.0f}",
            "events/s",
            f"{stored} stored",
        )
        report(
            "webhook duplicates rejected",
            f"{n_events / dup_time:.0f}",
            "events/s",
            f"{dup} stored",
        )
    finally:
        sim.stop()
