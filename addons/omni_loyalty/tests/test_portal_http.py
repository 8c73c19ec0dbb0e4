import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MARCH


@tagged("post_install", "-at_install")
class TestPortalHttp(HttpCase):
    """The portal routes over HTTP: token-only rating link, supplier scorecard page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create({"name": "Http Rater", "is_company": True})
        product = cls.env["product.product"].create({"name": "P", "type": "consu"})
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": customer.id,
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "P",
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking._action_done()
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
