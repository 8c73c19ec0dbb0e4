import base64

from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from .common import OmniIntakeCommon


@tagged("post_install", "-at_install")
class TestIntakeFile(OmniIntakeCommon):
    """The back-office file import: the file is kept as a payload and dispatched by format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"].create({"name": "Warenhaus Schäfer KG", "ref": "K-10001"})
        cls.groessmann = cls.env["res.partner"].create(
            {"name": "Großmann", "email": "bestellung@groessmann.example"}
        )
        # a back-office user of Omni, not an administrator
        cls.importer = new_test_user(
            cls.env, "intake_importer", groups="omni_order.group_omni_user"
        )
        cls.env["omni.intake.product.map"].create(
            {"code": "GM-4711", "product_id": cls.product_b.id, "partner_id": cls.groessmann.id}
        )

    def _import(self, path):
        with file_open(f"omni_order/tests/samples/{path}", "rb") as handle:
            data = handle.read()
        user = self.importer
        wizard = (
            self.env["omni.intake.payload.import"]
            .with_user(user)
            .create(
                {"channel_id": self.channel.id, "file": base64.b64encode(data), "filename": path}
            )
        )
        action = wizard.action_import()
        payload = self.env["omni.intake.payload"].browse(action["res_id"])
        self.assertEqual(payload.create_uid, user)
        self.assertEqual(payload.attachment_id.raw, data)
        return payload

    def test_csv_file_becomes_orders(self):
        payload = self._import("orders_utf8_bom_comma.csv")
        self.assertRecordValues(payload, [{"format": "csv", "source": "file", "state": "parsed"}])
        self.assertEqual(payload.intake_ids.mapped("state"), ["done", "done"])
        po77 = payload.intake_ids.filtered(lambda i: i.received_ref == "PO-77").sale_order_id
        self.assertEqual(po77.partner_id.ref, "K-10001")
        self.assertEqual(po77.order_line.product_id, self.product_a)
        po78 = payload.intake_ids.filtered(lambda i: i.received_ref == "PO-78").sale_order_id
        self.assertEqual(po78.partner_id, self.groessmann)
        self.assertEqual(po78.order_line.product_id, self.product_b)
        # the same file again: kept, but no new order
        again = self._import("orders_utf8_bom_comma.csv")
        self.assertEqual(again.intake_ids.mapped("state"), ["duplicate", "duplicate"])

    def test_truncated_edifact_kept_in_error(self):
        payload = self._import("eancom_orders_truncated.edi")
        self.assertRecordValues(payload, [{"format": "edifact", "state": "error"}])
        self.assertTrue(payload.error)
        self.assertFalse(payload.intake_ids)
