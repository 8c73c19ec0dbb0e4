"""Demo history for the order dashboard and the SLA: orders of the last days whose timeline
events carry the dates they happened at, open orders of several ages, and one SLA breach
with its activity.

Runs after the demo network of ``demo_loader`` (same company, nodes, stock); every order goes
through the real flow (confirmation, sourcing, picking validation, invoice), only the
timeline dates are set back with the ``omni_timeline_date`` context key.
"""

import random
from datetime import timedelta

from odoo import fields
from odoo.fields import Command


def _validate(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    picking.with_context(skip_sms=True, skip_backorder=True).button_validate()


def load_sla_demo(env):
    company = env.company
    now = fields.Datetime.now()
    rng = random.Random(7)
    web = env["crm.team"].search(
        [("name", "=", "Web Shop"), ("company_id", "=", company.id)], limit=1
    )
    customers = env["res.partner"].search(
        [("email", "like", "@example.com"), ("partner_latitude", "!=", 0)], limit=6
    )
    dc = env["omni.fulfilment.node"].search(
        [("kind", "=", "dc"), ("company_id", "=", company.id)], limit=1
    )
    if not (customers and dc):
        return
    # products stocked at the DC only: the history takes nothing from the stores, whose
    # stock the store demo (omni_store_pos) relies on
    at_dc = (
        env["stock.quant"]
        .search([("location_id", "=", dc.warehouse_id.lot_stock_id.id), ("quantity", ">=", 5)])
        .product_id
    )
    in_stores = (
        env["stock.quant"]
        .search(
            [
                ("product_id", "in", at_dc.ids),
                ("location_id.usage", "=", "internal"),
                ("location_id", "!=", dc.warehouse_id.lot_stock_id.id),
                ("quantity", ">", 0),
            ]
        )
        .product_id
    )
    products = (at_dc - in_stores)[:12]
    if not products:
        return
    for product in products:
        # enough stock at the DC for the history below
        env["stock.quant"]._update_available_quantity(product, dc.warehouse_id.lot_stock_id, 20)

    def order(hours_ago, **vals):
        at = now - timedelta(hours=hours_ago)
        ctx = {"omni_timeline_date": at}
        record = (
            env["sale.order"]
            .with_context(omni_timeline_date=at - timedelta(minutes=rng.randint(5, 90)))
            .create(
                {
                    "partner_id": rng.choice(customers).id,
                    "team_id": web.id,
                    "order_line": [
                        Command.create(
                            {"product_id": rng.choice(products).id, "product_uom_qty": 1}
                        )
                    ],
                    **vals,
                }
            )
        )
        record.with_context(**ctx).action_confirm()
        return record, at

    # history: 10 days of orders, shipped after 6 to 40 hours (some too late), invoiced
    for day in range(10, 0, -1):
        for _n in range(3):
            record, at = order(day * 24 + rng.randint(0, 12), client_order_ref="DEMO history")
            shipped_at = at + timedelta(hours=rng.choice([6, 10, 14, 20, 30, 40]))
            outgoing = record.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "assigned"
            )
            for picking in outgoing:
                _validate(picking.with_context(omni_timeline_date=shipped_at))
                # what a carrier's tracking reports later (omni_carrier writes it live)
                delivered_at = shipped_at + timedelta(hours=rng.randint(16, 50))
                if delivered_at < now and rng.random() < 0.85:
                    record._omni_timeline(
                        "delivered", note=picking.name, document=picking, date=delivered_at
                    )
            if outgoing and rng.random() < 0.7:
                invoice_at = shipped_at + timedelta(hours=2)
                record.with_context(omni_timeline_date=invoice_at)._create_invoices().with_context(
                    omni_timeline_date=invoice_at
                ).action_post()
    # open orders of several ages: on time, nearing the 24 h target, breached
    for hours, ref in ((2, "DEMO SLA on time"), (21, "DEMO SLA nearing"), (30, "DEMO SLA breach")):
        order(hours, client_order_ref=ref)
    env["omni.sla.policy"]._cron_omni_sla()
