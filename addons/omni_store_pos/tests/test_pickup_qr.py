import io
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from lxml import html
from PIL import Image

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .tour_common import create_store_staff


@tagged("post_install", "-at_install")
class TestPickupQr(HttpCase):
    """The QR code in the ready-for-pickup e-mail is what the Pickups screen finds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.warehouse = env["stock.warehouse"].create({"name": "QR Köln", "code": "QRKL"})
        cls.node = env["omni.fulfilment.node"].create(
            {
                "name": "QR Köln",
                "kind": "store",
                "pickup_point": True,
                "warehouse_id": cls.warehouse.id,
                "latitude": 50.94,
                "longitude": 6.96,
            }
        )
        env["omni.sourcing.ruleset"].create(
            {
                "name": "QR pickups",
                "rule_ids": [Command.create({"name": "Pickup", "mode": "collect"})],
            }
        ).action_activate()
        cls.config = env["pos.config"].create(
            {"name": "QR POS", "picking_type_id": cls.warehouse.pos_type_id.id}
        )
        cls.staff = create_store_staff(cls.warehouse, name="QR Staff", login="qr.staff")
        cls.customer = env["res.partner"].create(
            {"name": "Mia Qr", "email": "mia.qr@example.com", "country_id": env.ref("base.de").id}
        )
        cls.product = env["product.product"].create(
            {"name": "QR Scarf", "is_storable": True, "list_price": 20.0}
        )
        env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 3)

    def test_qr_in_ready_mail_finds_the_order_at_the_pos(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "omni_mode": "collect",
                "omni_pickup_node_id": self.node.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        self.assertTrue(order.omni_pickup_ready)
        mail = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(mail), 1, "one ready-for-pickup e-mail")
        self.assertIn("ready for pickup", mail.subject)
        images = html.fromstring(str(mail.body_html)).xpath("//img[hasclass('omni-pickup-qr')]")
        self.assertEqual(len(images), 1)
        src = images[0].get("src")
        # an absolute URL: mail clients cannot resolve a relative one
        self.assertTrue(src.startswith(order.get_base_url() + "/report/barcode/?"), src)
        url = urlsplit(src)
        self.assertEqual(parse_qs(url.query)["barcode_type"], ["QR"])
        # the image as a mail client fetches it: public route, no login
        response = self.url_open(f"{url.path}?{url.query}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
        self.assertEqual([r.format for r in decoded], [zxingcpp.BarcodeFormat.QRCode])
        scanned = decoded[0].text
        self.assertEqual(scanned, order.omni_pickup_code)
        self.assertIn(scanned, mail.body_html, "the code is printed too, for blocked images")
        # the scanner types the QR content into the Pickups search of the store's POS
        found = self.config.with_user(self.staff).omni_pickups(scanned)
        self.assertEqual([p["id"] for p in found], order.ids)
        self.assertEqual(found[0]["code"], scanned)
        self.assertEqual(found[0]["state"], "ready")
