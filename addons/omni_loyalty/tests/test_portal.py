from odoo.tests import TransactionCase, new_test_user, tagged

from .common import MARCH, create_done_delivery


@tagged("post_install", "-at_install")
class TestPortal(TransactionCase):
    """Token and visibility logic behind the portal routes, without HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Rater", "is_company": True})
        picking = create_done_delivery(cls.env, cls.customer)
        cls.picking = picking
        cls.feedback = cls.env["omni.loyalty.feedback"].search([("picking_id", "=", picking.id)])

    def test_feedback_token(self):
        self.assertEqual(len(self.feedback), 1)
        self.assertEqual(self.feedback.partner_id, self.customer)
        public = self.env["omni.loyalty.feedback"].with_user(self.env.ref("base.public_user"))
        self.assertFalse(public._get_by_token(self.feedback.id, "wrong"))
        self.assertFalse(public._get_by_token(self.feedback.id, ""))
        self.assertFalse(public._get_by_token(self.feedback.id + 1000, self.feedback.access_token))
        found = public._get_by_token(self.feedback.id, self.feedback.access_token)
        self.assertEqual(found, self.feedback)
        found._submit(7, "great")  # clamped to the 1..5 scale
        self.assertEqual(self.feedback.rating, 5)
        self.assertIn(self.feedback.access_token, self.feedback.portal_url)

    def test_one_feedback_per_delivery(self):
        self.picking._omni_create_feedback_requests()
        self.assertEqual(
            self.env["omni.loyalty.feedback"].search_count([("picking_id", "=", self.picking.id)]),
            1,
        )

    def test_supplier_portal_sees_own_scorecards_only(self):
        vendor = self.env["res.partner"].create({"name": "Own Vendor", "is_company": True})
        rival = self.env["res.partner"].create({"name": "Rival Vendor", "is_company": True})
        own, _rival_card = self.env["omni.loyalty.scorecard"].create(
            [
                {"partner_id": vendor.id, "kind": "supplier", "period_date": MARCH},
                {"partner_id": rival.id, "kind": "supplier", "period_date": MARCH},
            ]
        )
        user = new_test_user(self.env, "omni_portal_sc", groups="base.group_portal")
        user.partner_id.parent_id = vendor
        # the same search as the /my/omni_scorecards route
        cards = (
            self.env["omni.loyalty.scorecard"].with_user(user).search([("kind", "=", "supplier")])
        )
        self.assertEqual(cards, own)
        self.assertEqual(cards.read(["score"])[0]["id"], own.id)
