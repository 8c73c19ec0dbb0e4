"""Order dashboard benchmark (issue #4, point 7). Figures only, no pass/fail.

Fills ``omni_order_event`` with ~1,000,000 timeline events of synthetic orders (one SQL
INSERT ... SELECT over generate_series: a minute, not hours), ANALYZEs, then times each
dashboard query (median of a few runs): orders per step now, time in step (avg / p90),
breaches by channel / node / mode, the whole overview call, the pivot of the timeline
analysis view, the drill-downs, and the SLA cron. Target: each under 1 s on this machine.
"""

import statistics
import time
from datetime import timedelta

import common

from odoo import fields
from odoo.tools import SQL

DB = "omni_bench_dashboard"
HOME = [
    "received",
    "confirmed",
    "sourced",
    "released",
    "shipped",
    "in_transit",
    "delivered",
    "invoiced",
]
PICKUP = [
    "received",
    "confirmed",
    "sourced",
    "released",
    "ready_for_pickup",
    "picked_up",
    "invoiced",
    "paid",
]


def _fill(env, n_orders):
    cr = env.cr
    template = env["sale.order"].create(
        {
            "partner_id": env["res.partner"].create({"name": "Bench Customer"}).id,
            "team_id": env["crm.team"].search([], limit=1).id,
        }
    )
    env.flush_all()
    teams = env["crm.team"].search([]).ids
    if len(teams) < 3:
        teams += env["crm.team"].create([{"name": f"Bench channel {i}"} for i in range(3)]).ids
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'sale_order' AND column_name NOT IN
                  ('id', 'name', 'date_order', 'state', 'omni_mode', 'team_id',
                   'omni_sla_state', 'omni_sla_deadline', 'omni_sla_policy_id')"""
    )
    copied = [SQL.identifier(row[0]) for row in cr.fetchall()]
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_order AS
            SELECT g AS n,
                   (NOW() AT TIME ZONE 'UTC') - random() * INTERVAL '180 days' AS start,
                   (ARRAY['home', 'home', 'home', 'home', 'home', 'home', 'home',
                          'collect', 'collect', 'reserve'])[1 + floor(random() * 10)::int]
                       AS mode,
                   0.25 + random() * 3 AS scale,
                   random() < 0.1 AS open,
                   2 + floor(random() * 6)::int AS cut,
                   (%(teams)s::int[])[1 + floor(random() * %(n_teams)s)::int] AS team_id
              FROM generate_series(1, %(n)s) AS g
            """,
            teams=teams,
            n_teams=len(teams),
            n=n_orders,
        )
    )
    # open orders are recent ones
    cr.execute(
        "UPDATE bench_order SET start = (NOW() AT TIME ZONE 'UTC') - random() * INTERVAL '3 days'"
        " WHERE open"
    )
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order (name, date_order, state, omni_mode, team_id, %(cols)s)
            SELECT 'BENCH/' || b.n, b.start, 'sale', b.mode, b.team_id, %(src)s
              FROM bench_order b, sale_order t
             WHERE t.id = %(template)s
            """,
            cols=SQL(", ").join(copied),
            src=SQL(", ").join(SQL("t.%s", c) for c in copied),
            template=template.id,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO omni_order_event
                   (order_id, company_id, step, date, user_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT so.id, so.company_id,
                   (CASE WHEN b.mode = 'home' THEN %(home)s::varchar[]
                         ELSE %(pickup)s::varchar[] END)[k],
                   b.start + INTERVAL '1 hour' * b.scale * ((k - 1) * 4 + random() * 3),
                   1, 1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
              FROM bench_order b
              JOIN sale_order so ON so.name = 'BENCH/' || b.n
        CROSS JOIN generate_series(1, 8) AS k
             WHERE k <= CASE WHEN b.open THEN b.cut ELSE 8 END
            """,
            home=HOME,
            pickup=PICKUP,
        )
    )
    # some SLA results to group: 3 % breached, 2 % nearing, deadlines over the period
    cr.execute(
        """
        UPDATE sale_order so
           SET omni_sla_state = CASE WHEN r < 0.03 THEN 'breached' ELSE 'warning' END,
               omni_sla_deadline = so.date_order + INTERVAL '24 hours'
          FROM (SELECT id, random() AS r FROM sale_order WHERE name LIKE 'BENCH/%%') AS pick
         WHERE pick.id = so.id AND pick.r < 0.05
        """
    )
    cr.execute("DROP TABLE bench_order")
    # live events are appended as they happen, so a period's events sit together on disk;
    # the generator wrote them order by order: put them back in time order
    cr.execute("CLUSTER omni_order_event USING omni_order_event_company_date_idx")


def _median(fn, runs=5):
    samples = []
    for _run in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), max(samples)


def main(config_path, quick=False):
    n_orders = 13_000 if quick else 131_000
    common.ensure_db(config_path, DB, ["omni_order"])
    with common.environment(DB, commit=True) as env:
        env.cr.execute("SELECT COUNT(*) FROM omni_order_event")
        existing = env.cr.fetchone()[0]
        if existing < n_orders * 7:
            start = time.perf_counter()
            _fill(env, n_orders)
            env.cr.execute("SELECT COUNT(*) FROM omni_order_event")
            common.report(
                "generated timeline events",
                env.cr.fetchone()[0],
                "events",
                f"{time.perf_counter() - start:.1f} s",
            )
    with common.environment(DB, commit=True) as env:
        env.cr.execute("ANALYZE omni_order_event")
        env.cr.execute("ANALYZE sale_order")
    with common.environment(DB) as env:
        cr = env.cr
        cr.execute("SELECT COUNT(*), COUNT(DISTINCT order_id) FROM omni_order_event")
        events, orders = cr.fetchone()
        common.report("timeline events / orders", f"{events} / {orders}")
        Report = env["omni.order.timeline.report"]
        companies = env.companies.ids
        now = fields.Datetime.now()
        since = now - timedelta(days=30)

        def run(query):
            def go():
                cr.execute(query)
                cr.fetchall()

            return go

        figures = [
            (
                "orders per step now (+ age avg/max)",
                run(Report._steps_now_sql(companies, now=now)),
            ),
            ("time in step, avg + p90 (30 days)", run(Report._durations_sql(companies, since))),
            ("breaches by channel/node/mode (30 d)", run(Report._breaches_sql(companies, since))),
            ("overview: omni_dashboard_data (all)", lambda: Report.omni_dashboard_data(30)),
            (
                "analysis pivot: avg duration by step, 30 d",
                lambda: Report._read_group(
                    [("date", ">=", since)], ["step"], ["duration:avg", "__count"]
                ),
            ),
            (
                "analysis: current steps by mode",
                lambda: Report._read_group([("is_current", "=", True)], ["mode"], ["__count"]),
            ),
            (
                "drill-down: open orders in 'confirmed'",
                lambda: Report.omni_dashboard_open("step", "confirmed"),
            ),
            (
                "search orders by current step (shipped)",
                lambda: env["sale.order"].search_count([("omni_step", "=", "shipped")]),
            ),
            (
                "drill-down: breached orders",
                lambda: env["sale.order"].search(Report.omni_dashboard_open("breached")["domain"]),
            ),
        ]
        for name, fn in figures:
            median, worst = _median(fn)
            common.report(name, f"{median * 1000:.0f}", "ms median", f"max {worst * 1000:.0f} ms")
        # the SLA cron: the first evaluation of every order (a catch-up after install),
        # then the steady state, where only orders still open are looked at again
        policy = env["omni.sla.policy"]
        start = time.perf_counter()
        rows, _more = policy._omni_evaluate(batch_size=1_000_000)
        common.report(
            "SLA evaluation, first pass over all orders",
            f"{(time.perf_counter() - start) * 1000:.0f}",
            "ms",
            f"{len(rows)} orders written",
        )
        median, _worst = _median(lambda: policy._cron_omni_sla(), runs=3)
        common.report("SLA cron, steady state", f"{median * 1000:.0f}", "ms median")
