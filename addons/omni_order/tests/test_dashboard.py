from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import OmniOrderCommon

NOW = datetime(2030, 6, 1, 12, 0)


def ago(hours):
    return NOW - timedelta(hours=hours)


@tagged("post_install", "-at_install")
class TestDashboard(OmniOrderCommon):
    """A known event set in a company of its own, and the figures it must give."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Omni Dashboard Test GmbH"})
        cls.web = cls.env["crm.team"].create({"name": "Web", "company_id": cls.company.id})
        cls.shop = cls.env["crm.team"].create({"name": "Shop", "company_id": cls.company.id})

        def order(received, steps, **vals):
            with freeze_time(ago(received)):
                record = cls.env["sale.order"].create(
                    {"partner_id": cls.partner.id, "company_id": cls.company.id, **vals}
                )
            for step, hours in steps:
                record._omni_timeline(step, date=ago(hours))
            return record

        # A: in "shipped" for 2 h (received 2 h, confirmed 6 h)
        cls.order_a = order(10, [("confirmed", 8), ("shipped", 2)], team_id=cls.shop.id)
        # B: in "confirmed" for 4 h (received 1 h)
        cls.order_b = order(5, [("confirmed", 4)], team_id=cls.web.id)
        # C: delivered (closed): received 1 h, confirmed 9 h, shipped 10 h
        cls.order_c = order(
            30,
            [("confirmed", 29), ("shipped", 20), ("delivered", 10)],
            team_id=cls.web.id,
        )
        # D: in "confirmed" for 1 h (received 5 h)
        cls.order_d = order(6, [("confirmed", 1)], team_id=cls.web.id, omni_mode="collect")
        # E: received 40 days ago, still open; outside the period for the durations
        cls.order_e = order(24 * 40, [], team_id=cls.shop.id)
        cls.order_a.write({"omni_sla_state": "breached", "omni_sla_deadline": ago(1)})
        cls.order_b.write({"omni_sla_state": "breached", "omni_sla_deadline": ago(1)})
        cls.order_d.write({"omni_sla_state": "warning", "omni_sla_deadline": ago(-1)})
        # breached long ago: outside the period
        cls.order_c.write({"omni_sla_state": "breached", "omni_sla_deadline": ago(24 * 40)})
        cls.Report = cls.env["omni.order.timeline.report"].with_context(
            allowed_company_ids=[cls.company.id]
        )

    def _data(self):
        with freeze_time(NOW):
            return self.Report.omni_dashboard_data(period_days=30)

    def test_orders_per_step_now(self):
        data = self._data()
        self.assertEqual(
            data["steps"],
            [
                {
                    "step": "received",
                    "label": "Received",
                    "count": 1,
                    "avg_age": 960.0,
                    "max_age": 960.0,
                },
                {
                    "step": "confirmed",
                    "label": "Confirmed",
                    "count": 2,
                    "avg_age": 2.5,
                    "max_age": 4.0,
                },
                {
                    "step": "shipped",
                    "label": "Shipped",
                    "count": 1,
                    "avg_age": 2.0,
                    "max_age": 2.0,
                },
            ],
        )
        self.assertEqual(data["totals"]["open"], 4)

    def test_average_and_p90_per_step(self):
        durations = {row["step"]: row for row in self._data()["durations"]}
        self.assertEqual(set(durations), {"received", "confirmed", "shipped"})
        # received: 2, 1, 1, 5 h -> average 2.25, p90 = 2 + 0.7 * (5 - 2)
        self.assertEqual(durations["received"]["count"], 4)
        self.assertAlmostEqual(durations["received"]["avg"], 2.25)
        self.assertAlmostEqual(durations["received"]["p90"], 4.1)
        # confirmed: 6 and 9 h
        self.assertAlmostEqual(durations["confirmed"]["avg"], 7.5)
        self.assertAlmostEqual(durations["confirmed"]["p90"], 8.7)
        self.assertEqual(durations["shipped"]["count"], 1)
        self.assertAlmostEqual(durations["shipped"]["p90"], 10.0)

    def test_breaches_by_channel_mode_node(self):
        data = self._data()
        self.assertEqual(data["totals"]["breached"], 2)
        self.assertEqual(data["totals"]["warning"], 1)
        by_team = {
            row["key"]: (row["breached"], row["warning"]) for row in data["breaches"]["team"]
        }
        self.assertEqual(by_team, {self.web.id: (1, 1), self.shop.id: (1, 0)})
        by_mode = {
            row["key"]: (row["breached"], row["warning"]) for row in data["breaches"]["mode"]
        }
        self.assertEqual(by_mode, {"home": (2, 0), "collect": (0, 1)})
        # no sourcing assignments in this company: one "no node" row
        self.assertEqual(
            [(row["key"], row["breached"], row["warning"]) for row in data["breaches"]["node"]],
            [(False, 2, 1)],
        )

    def test_figures_open_their_orders(self):
        Order = self.env["sale.order"].with_context(allowed_company_ids=[self.company.id])
        with freeze_time(NOW):
            step = self.Report.omni_dashboard_open("step", "confirmed", period_days=30)
            team = self.Report.omni_dashboard_open("team", self.web.id, period_days=30)
            breached = self.Report.omni_dashboard_open("breached", period_days=30)
            duration = self.Report.omni_dashboard_open("duration", "shipped", period_days=30)
        self.assertEqual(step["res_model"], "sale.order")
        self.assertEqual(Order.search(step["domain"]), self.order_b | self.order_d)
        self.assertEqual(Order.search(team["domain"]), self.order_b | self.order_d)
        self.assertEqual(Order.search(breached["domain"]), self.order_a | self.order_b)
        self.assertEqual(Order.search(duration["domain"]), self.order_a | self.order_c)
        # the current step can be searched on the order itself
        self.assertEqual(
            Order.search([("omni_step", "=", "shipped"), ("company_id", "=", self.company.id)]),
            self.order_a,
        )

    def test_report_rows_and_drill_down(self):
        rows = self.Report.search([("order_id", "=", self.order_c.id)], order="date")
        self.assertEqual(rows.mapped("step"), ["received", "confirmed", "shipped", "delivered"])
        self.assertEqual([round(d, 2) for d in rows[:3].mapped("duration")], [1.0, 9.0, 10.0])
        self.assertEqual(rows.mapped("is_current"), [False, False, False, True])
        self.assertEqual(rows[0].left_at, ago(29))
        self.assertEqual(rows.team_id, self.web)
        self.assertEqual(set(rows.mapped("sla_state")), {"breached"})
        groups = self.Report._read_group(
            [("order_id", "in", (self.order_a | self.order_c).ids), ("is_current", "=", False)],
            ["step"],
            ["duration:avg", "__count"],
        )
        self.assertEqual(
            {step: (round(avg, 2), count) for step, avg, count in groups},
            {"received": (1.5, 2), "confirmed": (7.5, 2), "shipped": (10.0, 1)},
        )
        action = (
            rows | self.Report.search([("order_id", "=", self.order_a.id)])
        ).action_omni_open_orders()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(
            self.env["sale.order"].search(action["domain"]), self.order_a | self.order_c
        )

    def test_period_search_reads_the_same_rows(self):
        """A search bounded below in time runs one window over the period's events instead of
        the view; it must give exactly the view's rows of that period."""
        since = ago(9)
        names = ["order_id", "team_id", "mode", "step", "date", "left_at", "is_current"]
        company = [("company_id", "=", self.company.id)]
        query = self.Report._where_calc([("date", ">=", since), *company])
        self.assertIn("LEAD(", query.from_clause.code, "the bounded search uses the window")
        unbounded = self.Report._where_calc(["|", ("date", ">=", since), ("id", "=", 0)])
        self.assertNotIn("LEAD(", unbounded.from_clause.code)
        windowed = self.Report.search_read([("date", ">=", since), *company], names)
        from_view = [
            row for row in self.Report.search_read(company, names) if row["date"] >= since
        ]
        self.assertEqual(len(windowed), 6)  # A: confirmed, shipped; B, C, D: see setUpClass
        self.assertEqual(
            sorted(windowed, key=lambda row: row["id"]),
            sorted(from_view, key=lambda row: row["id"]),
        )
        counts = self.Report._read_group(
            [("date", ">=", since), *company], ["step", "is_current"], ["__count"]
        )
        self.assertEqual(
            sorted((step, current, count) for step, current, count in counts),
            sorted(
                (
                    step,
                    current,
                    len([r for r in from_view if (r["step"], r["is_current"]) == (step, current)]),
                )
                for step, current in {(r["step"], r["is_current"]) for r in from_view}
            ),
        )

    def test_access(self):
        salesman = new_test_user(
            self.env,
            "omni_dash_sales",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with freeze_time(NOW):
            data = self.Report.with_user(salesman).omni_dashboard_data(period_days=30)
        self.assertEqual(data["totals"]["breached"], 2)
        employee = new_test_user(self.env, "omni_dash_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Report.with_user(employee).omni_dashboard_data()


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_overview_opens_and_drills_down(self):
        partner = self.env["res.partner"].create({"name": "Tour Customer"})
        order = self.env["sale.order"].create({"partner_id": partner.id})
        order._omni_timeline("confirmed")
        self.start_tour(
            "/odoo/action-omni_order.omni_order_dashboard_action",
            "omni_order_dashboard_tour",
            login="admin",
        )
