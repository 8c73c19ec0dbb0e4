"""P12 scorecard_full: omni_loyalty scorecards as SQL aggregates against a per-partner ORM loop.

Data (dedicated database ``omni_bench_loyalty``): template documents are created once through
the ORM (a confirmed, received and billed purchase order, a delivered sale order and a posted
customer invoice), then cloned with ``INSERT ... SELECT generate_series`` into 5,000 partners
(half vendors, half customers) with about 1,000,000 stock moves and 1,000,000 invoice lines.
``--quick`` uses a tenth of that.

Figures are printed, never asserted. The per-partner KPIs of both methods are compared for the
sampled partners and the result of that comparison is printed.
"""

import random
import subprocess
import sys
import time
from datetime import date, datetime

from common import Timer, ensure_db, environment, report
from dateutil.relativedelta import relativedelta

import odoo
from odoo import Command
from odoo.tools import SQL

DB = "omni_bench_loyalty"
MONTH = date(2024, 6, 1)
SAMPLE = 20  # partners of each kind computed with the ORM loop


# --------------------------------------------------------------------------------------------
# data generation
# --------------------------------------------------------------------------------------------


def _templates(env):
    """One real document of each kind, created through the ORM, to clone in SQL."""
    company = env.company
    product = env["product.product"].create(
        {"name": "Bench item", "type": "consu", "is_storable": True, "standard_price": 6.0}
    )
    vendor = env["res.partner"].create({"name": "Bench vendor", "is_company": True})
    customer = env["res.partner"].create({"name": "Bench customer", "is_company": True})
    po = env["purchase.order"].create(
        {
            "partner_id": vendor.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_qty": 10, "price_unit": 10})
            ],
        }
    )
    po.button_confirm()
    receipt = po.picking_ids
    receipt.move_ids.write({"quantity": 10, "picked": True})
    receipt._action_done()
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": vendor.id,
            "invoice_date": MONTH,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 10,
                        "price_unit": 10,
                        "purchase_line_id": po.order_line.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    bill.action_post()
    so = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
        }
    )
    so.action_confirm()
    env["stock.quant"]._update_available_quantity(
        product,
        env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id,
        1e9,
    )
    delivery = so.picking_ids
    delivery.move_ids.write({"quantity": 1, "picked": True})
    delivery._action_done()
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": MONTH,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 1,
                        "price_unit": 10,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    invoice.action_post()
    env.flush_all()
    return {
        "partner": vendor.id,
        "po": po.id,
        "pol": po.order_line.id,
        "receipt_move": receipt.move_ids.id,
        "bill": bill.id,
        "bill_line": bill.invoice_line_ids.id,
        "so": so.id,
        "sol": so.order_line.id,
        "delivery_move": delivery.move_ids.id,
        "invoice": invoice.id,
        "invoice_line": invoice.invoice_line_ids.id,
    }


def _clone(cr, table, template_id, count, overrides, series="g"):
    """INSERT ``count`` copies of row ``template_id`` of ``table``; ``overrides`` maps columns to
    SQL expressions over the series variable ``g`` (1..count). Returns the first new id."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        (table,),
    )
    columns = [c for (c,) in cr.fetchall() if c != "id"]
    select = [overrides.get(c, f't."{c}"') for c in columns]
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (bench only)
    (first,) = cr.fetchone()
    cr.execute(
        f"""INSERT INTO {table} ({", ".join(f'"{c}"' for c in columns)})
            SELECT {", ".join(select)}
              FROM {table} t, generate_series(1, {int(count)}) {series}
             WHERE t.id = {int(template_id)}
             ORDER BY {series}"""  # noqa: S608 (bench only, constants)
    )
    return first + 1


def generate(env, partners, rows):
    cr = env.cr
    t = _templates(env)
    vendors = customers = partners // 2
    lines_per_vendor = max(1, rows // 2 // vendors)  # one receipt move per purchase line
    inv_lines_per_customer = max(1, rows // 2 // customers)
    start = time.perf_counter()
    first_partner = _clone(
        cr, "res_partner", t["partner"], partners, {"name": "'Bench partner ' || g"}
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id >= %s", (first_partner,)
    )
    first_vendor, first_customer = first_partner, first_partner + vendors
    # purchase: one order per vendor and month (12 months up to MONTH), lines spread over them
    n_po = vendors * 12
    first_po = _clone(
        cr,
        "purchase_order",
        t["po"],
        n_po,
        {
            "name": "'BPO' || g",
            "partner_id": f"{first_vendor} + (g - 1) / 12",
            "date_approve": f"timestamp '{MONTH}' - ((g - 1) % 12) * interval '1 month'"
            " - interval '10 days'",
            "date_order": f"timestamp '{MONTH}' - ((g - 1) % 12) * interval '1 month'",
        },
    )
    n_pol = vendors * lines_per_vendor
    # line g belongs to vendor (g-1)/lines_per_vendor and month (g % 12); quantities 1..20
    first_pol = _clone(
        cr,
        "purchase_order_line",
        t["pol"],
        n_pol,
        {
            "order_id": f"{first_po} + ((g - 1) / {lines_per_vendor}) * 12 + g % 12",
            "partner_id": f"{first_vendor} + (g - 1) / {lines_per_vendor}",
            "product_qty": "1 + g % 20",
            "product_uom_qty": "1 + g % 20",
            "price_unit": "10 + g % 7",
            "date_planned": f"timestamp '{MONTH}' - (g % 12) * interval '1 month'"
            " + (g % 27) * interval '1 day'",
        },
    )
    # receipts: mostly on time and complete, every 5th late, every 7th partial
    _clone(
        cr,
        "stock_move",
        t["receipt_move"],
        n_pol,
        {
            "purchase_line_id": f"{first_pol} + g - 1",
            "product_qty": "CASE WHEN g % 7 = 0 THEN (1 + g % 20) / 2.0 ELSE 1 + g % 20 END",
            "product_uom_qty": "1 + g % 20",
            "quantity": "1 + g % 20",
            "date": f"timestamp '{MONTH}' - (g % 12) * interval '1 month'"
            " + (g % 27) * interval '1 day'"
            " + CASE WHEN g % 5 = 0 THEN interval '3 days' ELSE interval '-1 day' END",
        },
    )
    # bills for every 2nd line, every 9th above the order price
    first_bill = _clone(
        cr,
        "account_move",
        t["bill"],
        vendors,
        {
            "name": "'BBILL' || g",
            "partner_id": f"{first_vendor} + g - 1",
            "commercial_partner_id": f"{first_vendor} + g - 1",
        },
    )
    _clone(
        cr,
        "account_move_line",
        t["bill_line"],
        n_pol // 2,
        {
            "move_id": f"{first_bill} + ((2 * g - 1) - 1) / {lines_per_vendor}",
            "partner_id": f"{first_vendor} + ((2 * g - 1) - 1) / {lines_per_vendor}",
            "purchase_line_id": f"{first_pol} + 2 * g - 2",
            "quantity": "1 + (2 * g - 1) % 20",
            "price_unit": "(10 + (2 * g - 1) % 7) * CASE WHEN g % 9 = 0 THEN 1.05 ELSE 1 END",
            "balance": "(1 + (2 * g - 1) % 20) * (10 + (2 * g - 1) % 7)",
            "debit": "(1 + (2 * g - 1) % 20) * (10 + (2 * g - 1) % 7)",
            "amount_currency": "(1 + (2 * g - 1) % 20) * (10 + (2 * g - 1) % 7)",
        },
    )
    # customers: 12 sale orders each, lines delivered, invoices with many lines per month
    n_so = customers * 12
    first_so = _clone(
        cr,
        "sale_order",
        t["so"],
        n_so,
        {
            "name": "'BSO' || g",
            "partner_id": f"{first_customer} + (g - 1) / 12",
            "partner_invoice_id": f"{first_customer} + (g - 1) / 12",
            "partner_shipping_id": f"{first_customer} + (g - 1) / 12",
            "date_order": f"timestamp '{MONTH}' - ((g - 1) % 12) * interval '1 month'"
            " + ((g * 7) % 25) * interval '1 day'",
        },
    )
    first_sol = _clone(
        cr,
        "sale_order_line",
        t["sol"],
        n_so,
        {
            "order_id": f"{first_so} + g - 1",
            "order_partner_id": f"{first_customer} + (g - 1) / 12",
        },
    )
    n_del = rows // 2 - n_pol
    if n_del > 0:
        _clone(
            cr,
            "stock_move",
            t["delivery_move"],
            n_del,
            {
                "sale_line_id": f"{first_sol} + (g - 1) % {n_so}",
                "product_qty": "1 + g % 5",
                "quantity": "1 + g % 5",
                "date": f"timestamp '{MONTH}' - (((g - 1) % {n_so}) % 12) * interval '1 month'"
                " + (g % 28) * interval '1 day'",
                # every 25th move is a return from the customer
                "location_id": "CASE WHEN g % 25 = 0 THEN t.location_dest_id"
                " ELSE t.location_id END",
                "location_dest_id": "CASE WHEN g % 25 = 0 THEN t.location_id"
                " ELSE t.location_dest_id END",
            },
        )
    n_inv = customers * 12
    first_inv = _clone(
        cr,
        "account_move",
        t["invoice"],
        n_inv,
        {
            "name": "'BINV' || g",
            "partner_id": f"{first_customer} + (g - 1) / 12",
            "commercial_partner_id": f"{first_customer} + (g - 1) / 12",
            "date": f"date '{MONTH}' - ((g - 1) % 12) * interval '1 month' + interval '4 days'",
            "invoice_date": f"date '{MONTH}' - ((g - 1) % 12) * interval '1 month'"
            " + interval '4 days'",
            "invoice_date_due": f"date '{MONTH}' - ((g - 1) % 12) * interval '1 month'"
            " + interval '4 days' + (g % 40) * interval '1 day'",
            "move_type": "CASE WHEN g % 17 = 0 THEN 'out_refund' ELSE 'out_invoice' END",
        },
    )
    n_aml = customers * inv_lines_per_customer
    _clone(
        cr,
        "account_move_line",
        t["invoice_line"],
        n_aml,
        {
            "move_id": f"{first_inv} + ((g - 1) / {inv_lines_per_customer}) * 12 + g % 12",
            "partner_id": f"{first_customer} + (g - 1) / {inv_lines_per_customer}",
            "date": f"date '{MONTH}' - (g % 12) * interval '1 month' + interval '4 days'",
            "quantity": "1 + g % 9",
            "balance": "-(1 + g % 9) * 10.0",
            "credit": "(1 + g % 9) * 10.0",
            "amount_currency": "-(1 + g % 9) * 10.0",
        },
    )
    # keep the sign convention of credit notes (they debit revenue)
    cr.execute(
        """UPDATE account_move_line aml SET balance = -aml.balance, debit = aml.credit,
                  credit = 0, amount_currency = -aml.amount_currency
             FROM account_move am
            WHERE am.id = aml.move_id AND am.move_type = 'out_refund' AND am.id >= %s""",
        (first_inv,),
    )
    cr.execute("ANALYZE")
    report("generated partners / stock moves / invoice lines", partners)
    cr.execute("SELECT COUNT(*) FROM stock_move")
    report("  stock moves", cr.fetchone()[0])
    cr.execute("SELECT COUNT(*) FROM account_move_line")
    report("  invoice lines", cr.fetchone()[0])
    report("  generation time", f"{time.perf_counter() - start:.1f}", "s")
    return list(range(first_vendor, first_customer)), list(
        range(first_customer, first_customer + customers)
    )


# --------------------------------------------------------------------------------------------
# the straightforward ORM computation, one partner at a time (the baseline)
# --------------------------------------------------------------------------------------------


def _pct(num, den):
    return round(100.0 * float(num) / float(den), 2) if den else None


def orm_supplier(env, partner, company, date_from, date_to):
    lines = env["purchase.order.line"].search(
        [
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("order_id.state", "in", ("purchase", "done")),
            ("display_type", "=", False),
            ("company_id", "=", company.id),
            ("date_planned", ">=", date_from),
            ("date_planned", "<", date_to),
        ]
    )
    if not lines:
        return None
    otif = filled = ordered = received_total = returned_total = 0.0
    leads = []
    billed = expected = 0.0
    for line in lines:
        moves = env["stock.move"].search(
            [("purchase_line_id", "=", line.id), ("state", "=", "done")]
        )
        received = on_time = returned = 0.0
        for move in moves:
            if move.location_id.usage == "supplier":
                received += move.product_qty
                if move.date.date() <= line.date_planned.date():
                    on_time += move.product_qty
                leads.append((move.date - line.order_id.date_approve).total_seconds() / 86400.0)
            if move.location_dest_id.usage == "supplier":
                returned += move.product_qty
        if on_time >= line.product_uom_qty:
            otif += 1
        filled += min(received, line.product_uom_qty)
        ordered += line.product_uom_qty
        received_total += received
        returned_total += returned
        for aml in env["account.move.line"].search([("purchase_line_id", "=", line.id)]):
            if aml.move_id.state == "posted" and aml.move_id.move_type == "in_invoice":
                billed += aml.price_unit * aml.quantity
                expected += line.price_unit * aml.quantity
    lead_avg = sum(leads) / len(leads) if leads else None
    lead_std = (sum((x - lead_avg) ** 2 for x in leads) / len(leads)) ** 0.5 if leads else None
    return {
        "line_count": len(lines),
        "otif_rate": _pct(otif, len(lines)),
        "fill_rate": _pct(filled, ordered),
        "return_rate": _pct(returned_total, received_total),
        "lead_time_avg": None if lead_avg is None else round(lead_avg, 2),
        "lead_time_std": None if lead_std is None else round(lead_std, 2),
        "price_deviation": round(100.0 * (billed - expected) / expected, 2) if expected else None,
    }


def orm_customer(env, partner, company, date_from, date_to):
    revenue = cost = 0.0
    amls = env["account.move.line"].search(
        [
            ("move_id.commercial_partner_id", "=", partner.id),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("display_type", "=", "product"),
            ("move_id.omni_bonus_settlement_id", "=", False),
            ("company_id", "=", company.id),
            ("date", ">=", date_from),
            ("date", "<", date_to),
        ]
    )
    for aml in amls:
        revenue += -aml.balance
        sign = -1 if aml.move_id.move_type == "out_refund" else 1
        cost += sign * aml.quantity * aml.product_id.with_company(company).standard_price
    start = datetime.combine(date_from, datetime.min.time())
    end = datetime.combine(date_to, datetime.min.time())
    orders = env["sale.order"].search(
        [
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("state", "=", "sale"),
            ("company_id", "=", company.id),
            ("date_order", "<", end),
        ],
        order="date_order desc",
    )
    order_count = len(orders.filtered(lambda o: o.date_order >= start))
    year_start = datetime.combine(date_to - relativedelta(months=12), datetime.min.time())
    order_frequency = round(len(orders.filtered(lambda o: o.date_order >= year_start)) / 12.0, 2)
    delivered = returned = 0.0
    moves = env["stock.move"].search(
        [
            ("sale_line_id.order_partner_id.commercial_partner_id", "=", partner.id),
            ("state", "=", "done"),
            ("company_id", "=", company.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
    )
    for move in moves:
        if move.location_dest_id.usage == "customer":
            delivered += move.product_qty
        if move.location_id.usage == "customer":
            returned += move.product_qty
    lates = []
    last_day = date_to - relativedelta(days=1)
    for invoice in env["account.move"].search(
        [
            ("commercial_partner_id", "=", partner.id),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
            ("company_id", "=", company.id),
            ("invoice_date_due", ">=", date_from),
            ("invoice_date_due", "<", date_to),
        ]
    ):
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        paid_dates = receivable.matched_credit_ids.mapped("max_date")
        if invoice.amount_residual == 0 and paid_dates:
            paid = max(paid_dates)
        else:
            paid = min(last_day, date.today())
        lates.append(max((paid - invoice.invoice_date_due).days, 0))
    margin = round(revenue - cost, 2)
    last = orders[:1].date_order
    return {
        "revenue": round(revenue, 2),
        "margin": margin,
        "margin_rate": round(100.0 * margin / revenue, 2) if revenue else None,
        "order_count": order_count,
        "order_frequency": order_frequency,
        "days_since_last_order": (last_day - last.date()).days if last else None,
        "return_rate": round(100.0 * returned / delivered, 2) if delivered else None,
        "avg_days_late": round(sum(lates) / len(lates), 2) if lates else None,
    }


def _compare(sql_rows, orm_rows, keys):
    mismatches = []
    for partner_id, orm in orm_rows.items():
        sql = sql_rows.get(partner_id)
        if orm is None and sql is None:
            continue
        if orm is None or sql is None:
            mismatches.append((partner_id, "missing", sql, orm))
            continue
        for key in keys:
            a, b = sql.get(key), orm.get(key)
            if (a is None) != (b is None) or (a is not None and abs(float(a) - float(b)) > 0.011):
                mismatches.append((partner_id, key, a, b))
    return mismatches


def main(config_path, quick=False):
    partners = 500 if quick else 5000
    rows = 200_000 if quick else 2_000_000
    dbname = DB + ("_quick" if quick else "")
    ensure_db(config_path, dbname, ["omni_loyalty"])
    _ensure_current_schema(config_path, dbname)
    with environment(dbname, commit=True) as env:
        env.cr.execute("SELECT COUNT(*) FROM res_partner WHERE name LIKE 'Bench partner %%'")
        if env.cr.fetchone()[0] < partners:
            print("  generating data (once per database) ...", flush=True)
            generate(env, partners, rows)
    with environment(dbname) as env:
        Scorecard = env["omni.loyalty.scorecard"]
        company = env.company
        date_from, date_to = MONTH, MONTH + relativedelta(months=1)
        env.cr.execute(
            SQL("SELECT MIN(id), MAX(id) FROM res_partner WHERE name LIKE %s", "Bench partner %")
        )
        low, high = env.cr.fetchone()
        vendors = list(range(low, low + partners // 2))
        customers = list(range(low + partners // 2, high + 1))
        report("stock moves in database", _count(env, "stock_move"))
        report("invoice lines in database", _count(env, "account_move_line"))
        # warm-up
        Scorecard._supplier_kpi_rows(company, date_from, date_to)
        sql_timer = Timer()
        with sql_timer.measure():
            sup_rows = Scorecard._supplier_kpi_rows(company, date_from, date_to)
        with sql_timer.measure():
            cus_rows = Scorecard._customer_kpi_rows(company, date_from, date_to)
        sql_kpi_s = sum(sql_timer.samples)
        full = Timer()
        with full.measure():
            cards = Scorecard._compute_snapshots(MONTH)
            env.flush_all()
        report(
            "SQL KPIs, all partners (both kinds)",
            f"{sql_kpi_s * 1000:.0f}",
            "ms",
            f"{len(sup_rows)} vendors, {len(cus_rows)} customers",
        )
        report(
            "full run incl. snapshots + categories stored",
            f"{full.samples[0]:.2f}",
            "s",
            f"{len(cards)} scorecards",
        )
        per_partner_sql = full.samples[0] / max(len(cards), 1)
        report("SQL, per partner (full run / scorecards)", f"{per_partner_sql * 1000:.3f}", "ms")
        rng = random.Random(7)
        sample_v = rng.sample(vendors, min(SAMPLE, len(vendors)))
        sample_c = rng.sample(customers, min(SAMPLE, len(customers)))
        orm_timer = Timer()
        orm_sup, orm_cus = {}, {}
        Partner = env["res.partner"]
        for partner_id in sample_v:
            env.invalidate_all()
            with orm_timer.measure():
                orm_sup[partner_id] = orm_supplier(
                    env, Partner.browse(partner_id), company, date_from, date_to
                )
        for partner_id in sample_c:
            env.invalidate_all()
            with orm_timer.measure():
                orm_cus[partner_id] = orm_customer(
                    env, Partner.browse(partner_id), company, date_from, date_to
                )
        per_partner_orm = sum(orm_timer.samples) / len(orm_timer.samples)
        report(
            "ORM loop, per partner (sample)",
            f"{per_partner_orm * 1000:.1f}",
            "ms",
            orm_timer.summary(),
        )
        report(
            "ratio ORM / SQL per partner",
            f"{per_partner_orm / per_partner_sql:.0f}",
            "x",
            "target >= 20x",
        )
        report("ORM loop extrapolated to all partners", f"{per_partner_orm * len(cards):.0f}", "s")
        sup_keys = [
            "line_count",
            "otif_rate",
            "fill_rate",
            "return_rate",
            "lead_time_avg",
            "lead_time_std",
            "price_deviation",
        ]
        cus_keys = [
            "revenue",
            "margin",
            "margin_rate",
            "order_count",
            "order_frequency",
            "days_since_last_order",
            "return_rate",
            "avg_days_late",
        ]
        mismatches = _compare(sup_rows, orm_sup, sup_keys) + _compare(cus_rows, orm_cus, cus_keys)
        compared = sum(1 for v in list(orm_sup.values()) + list(orm_cus.values()) if v)
        report(
            "results equal (SQL vs ORM, sampled partners)",
            "yes" if not mismatches else "NO",
            "",
            f"{compared} partners compared",
        )
        for mismatch in mismatches[:10]:
            print(f"    mismatch: {mismatch}")


def _ensure_current_schema(config_path, dbname):
    """Update omni_loyalty in a reused benchmark database when its tables lag the code."""
    with environment(dbname) as env:
        for model in ("omni.loyalty.scorecard", "omni.loyalty.scorecard.category"):
            Model = env[model]
            env.cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                (Model._table,),
            )
            existing = {c for (c,) in env.cr.fetchall()}
            stored = {name for name, field in Model._fields.items() if field.column_type}
            if stored - existing:
                break
        else:
            return
    print("  updating omni_loyalty in the benchmark database ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            f"{odoo.__path__[0]}/../odoo-bin",
            "-c",
            config_path,
            "-d",
            dbname,
            "-u",
            "omni_loyalty",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    odoo.modules.registry.Registry.delete(dbname)


def _count(env, table):
    env.cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(table)))
    return env.cr.fetchone()[0]
