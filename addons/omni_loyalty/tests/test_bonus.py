from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import OmniLoyaltyCommon

YEAR = date(2024, 6, 30)


@tagged("post_install", "-at_install")
class TestBonus(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["omni.loyalty.bonus.rule"].create(
            {
                "name": "Annual volume",
                "partner_kind": "customer",
                "period": "year",
                "mode": "retroactive",
                "reward": "credit_note",
                "tier_ids": [
                    Command.create({"min_amount": 10000, "percent": 2.0}),
                    Command.create({"min_amount": 50000, "percent": 3.5}),
                ],
            }
        )
        cls.invoice = cls._invoice(cls.customer, [(cls.item, 100, 100.0)], "2024-02-10")

    def test_exactly_on_threshold(self):
        status = self.rule._tier_status(self.customer, YEAR)
        self.assertEqual(status.volume, 10000.0)
        self.assertEqual(status.tier.percent, 2.0)
        self.assertEqual(status.bonus, 200.0)
        self.assertEqual(status.missing, 40000.0)

    def test_credit_note_reduces_volume(self):
        self._invoice(self.customer, [(self.item, 1, 100.0)], "2024-03-01", move_type="out_refund")
        status = self.rule._tier_status(self.customer, YEAR)
        self.assertEqual(status.volume, 9900.0)
        self.assertFalse(status.tier)
        self.assertEqual(status.missing, 100.0)

    def test_category_and_brand_filters(self):
        self._invoice(self.customer, [(self.item_y, 10, 100.0)], "2024-03-01")
        self.assertEqual(self.rule._tier_status(self.customer, YEAR).volume, 11000.0)
        self.rule.categ_ids = self.categ_y
        self.assertEqual(self.rule._tier_status(self.customer, YEAR).volume, 1000.0)
        self.rule.categ_ids = False
        self.item.product_tmpl_id.product_tag_ids = self.brand
        self.rule.brand_tag_ids = self.brand
        self.assertEqual(self.rule._tier_status(self.customer, YEAR).volume, 10000.0)

    def test_period_closing_is_idempotent(self):
        settlements = self.rule.close_period(YEAR)
        self.assertRecordValues(
            settlements,
            [
                {
                    "partner_id": self.customer.id,
                    "period_start": date(2024, 1, 1),
                    "period_end": date(2024, 12, 31),
                    "volume": 10000.0,
                    "percent": 2.0,
                    "amount": 200.0,
                }
            ],
        )
        credit_note = settlements.move_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.amount_untaxed, 200.0)
        self.assertEqual(credit_note.omni_bonus_settlement_id, settlements)
        credit_note.action_post()
        # the bonus credit note does not reduce the volume it was computed from
        self.assertEqual(self.rule._tier_status(self.customer, YEAR).volume, 10000.0)
        moves_before = self.env["account.move"].search_count([])
        self.assertFalse(self.rule.close_period(YEAR))
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertEqual(len(self.rule.settlement_ids), 1)

    @mute_logger("odoo.sql_db")
    def test_unique_settlement_per_period(self):
        settlement = self.rule.close_period(YEAR)
        with self.assertRaises(IntegrityError):
            settlement.copy()
            self.env.flush_all()

    def test_incremental_mode(self):
        self._invoice(self.customer, [(self.item, 500, 100.0)], "2024-05-01")
        self.rule.mode = "incremental"
        # 60,000: 40,000 × 2 % + 10,000 × 3.5 %
        self.assertEqual(self.rule.close_period(YEAR).amount, 1150.0)

    def test_points_reward(self):
        program = self.env["loyalty.program"].create(
            {"name": "B2B points", "program_type": "loyalty", "trigger": "auto"}
        )
        self.rule.write(
            {"reward": "points", "loyalty_program_id": program.id, "points_per_currency": 10}
        )
        settlement = self.rule.close_period(YEAR)
        self.assertFalse(settlement.move_id)
        self.assertEqual(settlement.loyalty_card_id.partner_id, self.customer)
        self.assertEqual(settlement.loyalty_card_id.points, 2000.0)
        self.assertEqual(settlement.loyalty_card_id.history_ids.issued, 2000.0)

    def test_supplier_rebate_claim(self):
        rule = self.env["omni.loyalty.bonus.rule"].create(
            {
                "name": "Vendor rebate",
                "partner_kind": "supplier",
                "period": "quarter",
                "reward": "claim",
                "tier_ids": [Command.create({"min_amount": 1000, "percent": 5.0})],
            }
        )
        order = self._purchase(200, 10.0, "2024-04-10 12:00:00", "2024-04-01 10:00:00")
        self._bill(order, 200, 10.0, "2024-04-20")
        settlement = rule.close_period(date(2024, 5, 15))
        self.assertEqual(settlement.partner_id, self.vendor)
        self.assertEqual(settlement.period_start, date(2024, 4, 1))
        self.assertEqual(settlement.amount, 100.0)
        self.assertEqual(settlement.move_id.move_type, "out_invoice")
        self.assertEqual(settlement.move_id.partner_id, self.vendor)

    def test_partner_form_and_what_if(self):
        with freeze_time("2024-06-30"):
            self.customer.invalidate_recordset(["omni_bonus_status"])
            self.assertIn("40,000.00", self.customer.omni_bonus_status)
            order = self._sale(self.customer, 400, "2024-06-30 09:00:00", deliver=False)
            self.assertIn("Annual volume", order.omni_bonus_status)
            action = order.action_omni_bonus_simulate()
            wizard = Form(self.env[action["res_model"]].with_context(**action["context"])).save()
            self.assertEqual(wizard.planned_amount, 40000.0)
            # 10,000 + 40,000 reaches the 3.5 % tier exactly
            self.assertIn("3.5", wizard.result)
            self.assertIn("1,750.00", wizard.result)
