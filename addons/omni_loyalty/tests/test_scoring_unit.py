from odoo.tests import BaseCase, tagged

from ..scoring import (
    Tier,
    buying_less,
    compute_tier,
    grade_for,
    kpi_crosses,
    normalise_supplier_kpis,
    split_alerts,
    trend,
    weighted_total,
)

TIERS = [Tier(10000, 2.0), Tier(50000, 3.5)]


@tagged("post_install", "-at_install")
class TestScoringUnit(BaseCase):
    def test_tier_exactly_on_threshold(self):
        result = compute_tier(10000, TIERS)
        self.assertEqual(result.tier, Tier(10000, 2.0))
        self.assertEqual(result.bonus, 200.0)
        self.assertEqual(result.next_tier, Tier(50000, 3.5))
        self.assertEqual(result.missing, 40000.0)

    def test_tier_just_below_threshold(self):
        result = compute_tier(9999.99, TIERS)
        self.assertIsNone(result.tier)
        self.assertEqual(result.bonus, 0.0)
        self.assertEqual(result.missing, 0.01)

    def test_tier_retroactive_vs_incremental(self):
        self.assertEqual(compute_tier(60000, TIERS).bonus, 2100.0)
        # (50,000 - 10,000) × 2 % + (60,000 - 50,000) × 3.5 %
        self.assertEqual(compute_tier(60000, TIERS, "incremental").bonus, 1150.0)
        self.assertEqual(compute_tier(50000, TIERS, "incremental").bonus, 800.0)
        top = compute_tier(60000, TIERS)
        self.assertIsNone(top.next_tier)
        self.assertEqual(top.missing, 0.0)

    def test_tier_negative_volume(self):
        self.assertEqual(compute_tier(-500, TIERS).bonus, 0.0)

    def test_grade_edges(self):
        bands = [(85, "A"), (70, "B"), (50, "C"), (0, "D")]
        self.assertEqual(grade_for(85, bands), "A")
        self.assertEqual(grade_for(84.99, bands), "B")
        self.assertEqual(grade_for(0, bands), "D")
        self.assertIsNone(grade_for(None, bands))
        self.assertIsNone(grade_for(10, [(50, "C")]))

    def test_weighted_total_skips_missing(self):
        weights = {"otif": 30, "lead_time": 15, "fill_rate": 20, "quality": 20, "price": 15}
        scores = {"otif": 50, "lead_time": 100, "fill_rate": 80, "quality": 0, "price": None}
        # (50×30 + 100×15 + 80×20 + 0×20) / 85
        self.assertEqual(weighted_total(scores, weights), round(4600 / 85, 2))
        self.assertIsNone(weighted_total({}, weights))

    def test_normalise(self):
        scores = normalise_supplier_kpis(
            {
                "otif_rate": 50,
                "fill_rate": 80,
                "lead_time_avg": 21,
                "return_rate": 2.5,
                "price_deviation": -3,
            },
            lead_time_target=14,
        )
        self.assertEqual(
            scores,
            {"otif": 50, "fill_rate": 80, "lead_time": 50.0, "quality": 75.0, "price": 100.0},
        )

    def test_trend(self):
        self.assertEqual(trend(1200, 1000), 20.0)
        self.assertEqual(trend(500, 1000), -50.0)
        self.assertIsNone(trend(100, 0))

    def test_buying_less(self):
        history = [1000] * 6
        self.assertTrue(buying_less(200, history, orders_in_period=1))
        self.assertFalse(buying_less(500, history, orders_in_period=1))  # exactly half: not below
        self.assertFalse(buying_less(0, history, orders_in_period=0))  # stopped ordering at all
        self.assertFalse(buying_less(0, [0] * 6, orders_in_period=3))
        self.assertFalse(buying_less(0, [50] * 6, orders_in_period=3, min_baseline=100))

    def test_kpi_crosses_is_an_edge(self):
        self.assertTrue(kpi_crosses(None, 40, "<", 50))
        self.assertTrue(kpi_crosses(60, 40, "<", 50))
        self.assertFalse(kpi_crosses(45, 40, "<", 50))  # already below last month
        self.assertFalse(kpi_crosses(60, 50, "<", 50))
        self.assertTrue(kpi_crosses(5, 12, ">", 10))
        self.assertFalse(kpi_crosses(5, None, ">", 10))

    def test_split_alerts(self):
        self.assertEqual(split_alerts([1, 2, 3, 4], 0, 2), ([1, 2], [3, 4]))
        self.assertEqual(split_alerts([1, 2], 1, 2), ([1], [2]))
        self.assertEqual(split_alerts([1, 2], 3, 2), ([], [1, 2]))
        self.assertEqual(split_alerts([1, 2], 5, 0), ([1, 2], []))
