import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import MARCH, create_done_delivery


@tagged("post_install", "-at_install")
class TestPortalHttp(HttpCase):
    """The portal routes over HTTP: token-only rating link, supplier scorecard page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create({"name": "Http Rater", "is_company": True})
        picking = create_done_delivery(cls.env, customer)
        cls.feedback = cls.env["omni.loyalty.feedback"].search([("picking_id", "=", picking.id)])

    def test_rating_link(self):
        bad = self.url_open(f"/omni_loyalty/feedback/{self.feedback.id}/wrongtoken")
        self.assertEqual(bad.status_code, 404)
        page = self.url_open(self.feedback.portal_url)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        forged = self.url_open(
            f"/omni_loyalty/feedback/{self.feedback.id}/wrongtoken",
            data={"rating": "1", "csrf_token": csrf},
        )
        self.assertEqual(forged.status_code, 404)
        done = self.url_open(
            self.feedback.portal_url, data={"rating": "2", "comment": "late", "csrf_token": csrf}
        )
        self.assertEqual(done.status_code, 200)
        self.assertEqual(self.feedback.rating, 2)
        self.assertEqual(self.feedback.comment, "late")

    def test_supplier_scorecard_page(self):
        vendor = self.env["res.partner"].create({"name": "Own Vendor", "is_company": True})
        rival = self.env["res.partner"].create({"name": "Rival Vendor", "is_company": True})
        self.env["omni.loyalty.scorecard"].create(
            [
                {"partner_id": vendor.id, "kind": "supplier", "period_date": MARCH, "score": 77.7},
                {"partner_id": rival.id, "kind": "supplier", "period_date": MARCH, "score": 33.3},
            ]
        )
        user = new_test_user(self.env, "omni_portal_http", groups="base.group_portal")
        user.partner_id.parent_id = vendor
        self.authenticate("omni_portal_http", "omni_portal_http")
        page = self.url_open("/my/omni_scorecards")
        self.assertEqual(page.status_code, 200)
        self.assertIn("77.70", page.text)
        self.assertNotIn("33.30", page.text)
