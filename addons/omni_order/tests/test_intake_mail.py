import json
from email.message import EmailMessage

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OmniIntakeCommon


@tagged("post_install", "-at_install")
class TestIntakeMail(OmniIntakeCommon):
    """A channel's mail alias: the message's attachment (or body) becomes a payload."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "omni-intake.example"})
        cls.env.company.alias_domain_id = domain
        cls.channel.action_omni_create_intake_alias()
        cls.alias_email = f"{cls.channel.omni_intake_alias_name}@omni-intake.example"

    def _mail(self, body="", attachment=None, filename=None, subject="Bestellung"):
        message = EmailMessage()
        message["From"] = "Einkauf <einkauf@kaufhaus-nord.example>"
        message["To"] = self.alias_email
        message["Subject"] = subject
        message["Message-Id"] = f"<{subject}-{len(body)}@kaufhaus-nord.example>"
        message.set_content(body)
        if attachment is not None:
            message.add_attachment(
                attachment, maintype="application", subtype="octet-stream", filename=filename
            )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            record_id = self.env["mail.thread"].message_process(None, message.as_string())
        return self.env["omni.intake.payload"].browse(record_id)

    def test_alias_routes_to_payload_model(self):
        self.assertEqual(
            self.channel.omni_intake_alias_id.alias_model_id.model, "omni.intake.payload"
        )
        self.assertEqual(self.channel.omni_intake_alias_name, "orders-intake-shop")

    def test_attachment_becomes_orders(self):
        data = self._intake_body(self._intake_order("MAIL-1"), self._intake_order("MAIL-2"))
        payload = self._mail("Anbei unsere Bestellung.", data, "bestellung.json", "Bestellung 1")
        self.assertRecordValues(
            payload,
            [
                {
                    "channel_id": self.channel.id,
                    "source": "email",
                    "format": "json",
                    "filename": "bestellung.json",
                    "state": "parsed",
                }
            ],
        )
        self.assertEqual(payload.attachment_id.raw, data)
        self.assertEqual(payload.intake_ids.mapped("state"), ["done", "done"])
        self.assertIn("Bestellung 1", payload.message_ids.mapped("subject"))

    def test_plain_text_json_body(self):
        body = json.dumps({"orders": [self._intake_order("MAIL-3")]})
        payload = self._mail(body, subject="Bestellung 3")
        self.assertEqual(payload.intake_ids.state, "done")
        self.assertEqual(payload.intake_ids.sale_order_id.client_order_ref, "MAIL-3")

    def test_unreadable_mail_is_kept_in_error(self):
        payload = self._mail("Bitte liefern Sie 3 Hemden.", subject="Bestellung 4")
        self.assertEqual(payload.state, "error")
        self.assertTrue(payload.error)
        self.assertEqual(payload.attachment_id.raw, b"Bitte liefern Sie 3 Hemden.")
