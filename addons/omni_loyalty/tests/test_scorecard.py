from odoo.tests import freeze_time, tagged

from .common import FEBRUARY, MARCH, OmniLoyaltyCommon


@tagged("post_install", "-at_install")
class TestSupplierScorecard(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # PO1: 10 × 10 € promised 5 March, approved 1 March, all received on 4 March (3 days)
        cls.po1 = cls._purchase(10, 10.0, "2024-03-05 12:00:00", "2024-03-01 10:00:00")
        cls._receive(cls.po1, 10, "2024-03-04 10:00:00")
        # PO2: 10 × 20 € promised 10 March; 6 arrive late on 12 March (11 days), 2 go back
        cls.po2 = cls._purchase(10, 20.0, "2024-03-10 12:00:00", "2024-03-01 10:00:00")
        receipt = cls._receive(cls.po2, 6, "2024-03-12 10:00:00")
        cls._return(receipt, 2, "2024-03-15 10:00:00")
        # the bill of PO2 comes at 22 € instead of 20 € (price change)
        cls._bill(cls.po2, 6, 22.0, "2024-03-20")
        # a PO promised in April does not count for March
        cls._purchase(5, 10.0, "2024-04-02 12:00:00", "2024-03-20 10:00:00")

    def test_supplier_kpis(self):
        with freeze_time("2024-04-02"):
            self.Scorecard._compute_snapshots(MARCH, kinds=("supplier",))
        card = self._card(self.vendor, "supplier", MARCH)
        self.assertRecordValues(
            card,
            [
                {
                    "line_count": 2,
                    "otif_rate": 50.0,  # PO1 on time in full, PO2 late and partial
                    "fill_rate": 80.0,  # (10 + 6) / 20
                    "return_rate": 12.5,  # 2 of 16 received went back
                    "lead_time_avg": 7.0,  # (3 + 11) / 2
                    "lead_time_std": 4.0,
                    "price_deviation": 10.0,  # 22 € billed against 20 € ordered
                    # otif 50×30 + lead 100×15 + fill 80×20 + quality 0×20 + price 0×15
                    "score": 46.0,
                    "grade_id": self.grades[3].id,
                }
            ],
        )

    def test_snapshot_is_idempotent_and_tracks_grade(self):
        self.Scorecard._compute_snapshots(MARCH, kinds=("supplier",))
        self.Scorecard._compute_snapshots(MARCH, kinds=("supplier",))
        self.assertEqual(len(self._card(self.vendor, "supplier", MARCH)), 1)
        # a previous month graded B: the March snapshot records the change B -> D
        self.Scorecard.create(
            {
                "partner_id": self.vendor.id,
                "kind": "supplier",
                "period_date": FEBRUARY,
                "score": 75.0,
                "grade_id": self.grades[1].id,
            }
        )
        self.Scorecard._compute_snapshots(MARCH, kinds=("supplier",))
        card = self._card(self.vendor, "supplier", MARCH)
        self.assertEqual(card.previous_grade_id, self.grades[1])
        self.assertEqual(card.grade_id, self.grades[3])

    def test_monthly_cron(self):
        with freeze_time("2024-04-02"):
            self.Scorecard._cron_compute_last_month()
        self.assertEqual(self._card(self.vendor, "supplier", MARCH).otif_rate, 50.0)

    def test_weights_are_per_company(self):
        self.company.write(
            {
                "omni_loyalty_weight_otif": 100.0,
                "omni_loyalty_weight_lead_time": 0.0,
                "omni_loyalty_weight_fill_rate": 0.0,
                "omni_loyalty_weight_quality": 0.0,
                "omni_loyalty_weight_price": 0.0,
            }
        )
        self.Scorecard._compute_snapshots(MARCH, kinds=("supplier",))
        card = self._card(self.vendor, "supplier", MARCH)
        self.assertEqual(card.score, 50.0)
        self.assertEqual(card.grade_id, self.grades[2])  # C from 50 exactly


@tagged("post_install", "-at_install")
class TestCustomerScorecard(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one order of 10 × 100 € (cost 60 €), delivered; one unit comes back
        cls.order = cls._sale(cls.customer, 10, "2024-03-02 09:00:00")
        cls._return(cls.order.picking_ids, 1, "2024-03-20 10:00:00")
        # invoiced on 5 March, due the same day, paid on 15 March: 10 days late
        invoice = cls._invoice(cls.customer, [(cls.item, 10, 100.0)], "2024-03-05")
        cls._pay(invoice, "2024-03-15")
        # credit note for the returned unit
        cls._invoice(cls.customer, [(cls.item, 1, 100.0)], "2024-03-21", move_type="out_refund")

    def test_customer_kpis(self):
        with freeze_time("2024-04-02"):
            self.Scorecard._compute_snapshots(MARCH, kinds=("customer",))
        card = self._card(self.customer, "customer", MARCH)
        self.assertRecordValues(
            card,
            [
                {
                    "revenue": 900.0,  # 1,000 invoiced - 100 credited
                    "margin": 360.0,  # 900 - 9 × 60
                    "margin_rate": 40.0,
                    "order_count": 1,
                    "order_frequency": 0.08,  # 1 order in 12 months
                    "days_since_last_order": 29,  # 2 March to 31 March
                    "return_rate": 10.0,  # 1 of 10 delivered
                    "avg_days_late": 10.0,
                    "signal_buying_less": False,
                }
            ],
        )
        self.assertEqual(card.category_ids.categ_id, self.categ_x)
        self.assertEqual(card.category_ids.share, 100.0)

    def test_queries_do_not_grow_with_partners(self):
        """KPIs of all customers come from a fixed number of aggregate queries."""
        other = self.env["res.partner"].create({"name": "Customer D", "is_company": True})
        self._invoice(other, [(self.item, 3, 100.0)], "2024-03-07")
        self.env.flush_all()
        date_from, date_to = self.Scorecard._period_bounds(MARCH)
        with self.assertQueryCount(5):
            rows = self.Scorecard._customer_kpi_rows(self.company, date_from, date_to)
        self.assertEqual(rows[other.id]["revenue"], 300.0)
        self.assertEqual(rows[self.customer.id]["revenue"], 900.0)
        with self.assertQueryCount(1):
            self.Scorecard._supplier_kpi_rows(self.company, date_from, date_to)

    def test_unpaid_invoice_counts_late_until_period_end(self):
        self._invoice(self.customer, [(self.item, 1, 50.0)], "2024-03-01", due="2024-03-21")
        with freeze_time("2024-04-02"):
            self.Scorecard._compute_snapshots(MARCH, kinds=("customer",))
        # (10 days for the paid invoice + 10 days open from 21 to 31 March) / 2
        self.assertEqual(self._card(self.customer, "customer", MARCH).avg_days_late, 10.0)

    def test_delivery_rating_feeds_scorecard(self):
        feedback = self.env["omni.loyalty.feedback"].search(
            [("picking_id", "=", self.order.picking_ids[:1].id)]
        )
        self.assertEqual(len(feedback), 1, "a done delivery asks for a rating")
        mail = self.env["mail.mail"].search([("model", "=", "omni.loyalty.feedback")])
        self.assertIn(feedback.portal_url, mail.body_html)
        with freeze_time("2024-03-05 10:00:00"):
            feedback._submit(4, "fine")
        self.Scorecard._compute_snapshots(MARCH, kinds=("customer",))
        self.assertEqual(self._card(self.customer, "customer", MARCH).rating_avg, 4.0)


@tagged("post_install", "-at_install")
class TestBuyingLessSignal(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1,000 € of category X every month from September to February
        for month in (9, 10, 11, 12, 1, 2):
            year = 2023 if month > 2 else 2024
            cls._invoice(cls.customer, [(cls.item, 10, 100.0)], f"{year}-{month:02d}-10")
        # March: the customer still orders (category Y), but X drops to 200 €
        cls._sale(cls.customer, 10, "2024-03-03 09:00:00", product=cls.item_y, deliver=False)
        cls._invoice(cls.customer, [(cls.item, 2, 100.0), (cls.item_y, 10, 100.0)], "2024-03-10")

    def test_signal_fires_for_the_category_only(self):
        self.Scorecard._compute_snapshots(FEBRUARY, kinds=("customer",))
        self.Scorecard._compute_snapshots(MARCH, kinds=("customer",))
        card = self._card(self.customer, "customer", MARCH)
        self.assertTrue(card.signal_buying_less)
        lines = {line.categ_id: line for line in card.category_ids}
        self.assertTrue(lines[self.categ_x].buying_less)
        self.assertEqual(lines[self.categ_x].baseline, 1000.0)
        self.assertFalse(lines[self.categ_y].buying_less)
        self.assertEqual(card.revenue, 1200.0)
        self.assertEqual(card.revenue_trend, 20.0)  # 1,000 in February

    def test_no_signal_without_current_orders(self):
        self.env["sale.order"].search([("partner_id", "=", self.customer.id)])._action_cancel()
        self.Scorecard._compute_snapshots(MARCH, kinds=("customer",))
        self.assertFalse(self._card(self.customer, "customer", MARCH).signal_buying_less)


@tagged("post_install", "-at_install")
class TestScorecardReport(OmniLoyaltyCommon):
    def test_report_and_send_from_partner_form(self):
        self.Scorecard.create(
            {
                "partner_id": self.vendor.id,
                "kind": "supplier",
                "period_date": MARCH,
                "otif_rate": 87.5,
                "score": 91.25,
                "grade_id": self.grades[0].id,
            }
        )
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "omni_loyalty.report_scorecard", self.vendor.ids
        )
        self.assertIn(b"91.25", html)
        self.assertIn(b"87.50", html)
        action = self.vendor.action_omni_send_scorecard()
        self.assertEqual(action["res_model"], "mail.compose.message")
        template = self.env["mail.template"].browse(action["context"]["default_template_id"])
        self.assertIn(
            self.env.ref("omni_loyalty.action_report_scorecard"), template.report_template_ids
        )
        self.assertEqual(self.vendor.omni_scorecard_count, 1)
