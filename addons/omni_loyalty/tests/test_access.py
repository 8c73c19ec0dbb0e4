from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import MARCH, OmniLoyaltyCommon


@tagged("post_install", "-at_install")
class TestAccess(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        common = {"company_id": company.id, "company_ids": [company.id]}
        cls.sales_a = new_test_user(
            cls.env, "omni_sales_a", groups="sales_team.group_sale_salesman", **common
        )
        cls.sales_b = new_test_user(
            cls.env, "omni_sales_b", groups="sales_team.group_sale_salesman", **common
        )
        cls.buyer_a = new_test_user(
            cls.env, "omni_buyer_a", groups="purchase.group_purchase_user", **common
        )
        cls.sale_manager = new_test_user(
            cls.env, "omni_sale_mgr", groups="sales_team.group_sale_manager", **common
        )
        cls.purchase_manager = new_test_user(
            cls.env, "omni_purchase_mgr", groups="purchase.group_purchase_manager", **common
        )
        cls.other_vendor = cls.env["res.partner"].create({"name": "Vendor W", "is_company": True})
        cls.customer.user_id = cls.sales_a
        cls.vendor.buyer_id = cls.buyer_a
        cls.cards = cls.Scorecard.create(
            [
                {"partner_id": cls.customer.id, "kind": "customer", "period_date": MARCH},
                {"partner_id": cls.vendor.id, "kind": "supplier", "period_date": MARCH},
                {"partner_id": cls.other_vendor.id, "kind": "supplier", "period_date": MARCH},
            ]
        )
        other = cls.setup_other_company()["company"]
        cls.foreign_card = cls.Scorecard.create(
            {
                "partner_id": cls.customer.id,
                "kind": "customer",
                "period_date": MARCH,
                "company_id": other.id,
            }
        )

    def _visible(self, user):
        return self.Scorecard.with_user(user).search([]) & (self.cards | self.foreign_card)

    def test_salespeople_see_their_own_customers(self):
        self.assertEqual(self._visible(self.sales_a), self.cards[0])
        self.assertFalse(self._visible(self.sales_b))
        with self.assertRaises(AccessError):
            self.cards[0].with_user(self.sales_b).read(["revenue"])

    def test_buyers_see_their_own_suppliers(self):
        self.assertEqual(self._visible(self.buyer_a), self.cards[1])

    def test_managers_see_all_of_their_side_and_company(self):
        self.assertEqual(self._visible(self.sale_manager), self.cards[0])
        self.assertEqual(self._visible(self.purchase_manager), self.cards[1:])
        # the loyalty manager sees everything of the companies selected in the switcher
        manager_env = self.Scorecard.with_context(allowed_company_ids=[self.company.id])
        self.assertEqual(manager_env.search([]) & (self.cards | self.foreign_card), self.cards)

    def test_users_cannot_write_scorecards(self):
        with self.assertRaises(AccessError):
            self.cards[0].with_user(self.sales_a).write({"revenue": 1.0})

    def test_portal_supplier_sees_only_own_scorecard(self):
        portal = new_test_user(
            self.env,
            "omni_portal_v",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        portal.partner_id.parent_id = self.vendor
        self.assertEqual(self._visible(portal), self.cards[1])

    def test_blocked_vendor_needs_manager_approval(self):
        self.cards[1].grade_id = self.grades[3]  # D: block
        order = self._purchase(
            1, 10.0, "2024-04-10 12:00:00", "2024-04-01 10:00:00", vendor=self.other_vendor
        )
        self.assertEqual(order.state, "purchase")
        with self.assertRaises(UserError):
            self._purchase(1, 10.0, "2024-04-10 12:00:00", "2024-04-01 10:00:00")
        rfq = (
            self.env["purchase.order"]
            .with_user(self.buyer_a)
            .create({"partner_id": self.vendor.id})
        )
        self.assertEqual(rfq.omni_grade_action, "block")
        with self.assertRaises(UserError):
            rfq.action_omni_grade_approve()
        rfq.with_user(self.purchase_manager).action_omni_grade_approve()
        rfq.with_user(self.buyer_a).button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_warned_vendor(self):
        self.cards[1].grade_id = self.grades[2]  # C: warn
        with Form(self.env["purchase.order"]) as form:
            form.partner_id = self.vendor
            self.assertEqual(form.omni_grade_action, "warn")
        order = self._purchase(1, 10.0, "2024-04-10 12:00:00", "2024-04-01 10:00:00")
        self.assertEqual(order.state, "purchase")

    def test_new_company_gets_default_grades(self):
        company = self.env["res.company"].create({"name": "Omni Grades Co"})
        grades = self.env["omni.loyalty.grade"].search([("company_id", "=", company.id)])
        self.assertEqual(
            sorted(grades.mapped(lambda g: (g.name, g.min_score, g.po_action))),
            [("A", 85.0, "none"), ("B", 70.0, "none"), ("C", 50.0, "warn"), ("D", 0.0, "block")],
        )
