import csv
import io
import json
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import OmniIntakeCommon


@tagged("post_install", "-at_install")
class TestIntakeFlow(OmniIntakeCommon):
    """Intake through the service layer: mapping, errors, correction, retry and replay."""

    def test_valid_order_is_created_and_linked(self):
        order_data = (
            self._intake_order(
                "WEB-1",
                lines=[
                    {"ean": "4006381333931", "quantity": 2},
                    {"sku": "OMNI-B", "quantity": "1"},
                ],
                shipping={
                    "name": "Filiale Altona",
                    "street": "Ottenser Hauptstraße 10",
                    "zip": "22765",
                    "city": "Hamburg",
                    "country_code": "DE",
                },
                note="Bitte klingeln",
            ),
        )
        payload = self._receive(*order_data)
        intake = payload.intake_ids
        self.assertRecordValues(payload, [{"state": "parsed", "source": "rest", "format": "json"}])
        self.assertEqual(payload.attachment_id.raw, self._intake_body(*order_data))
        self.assertEqual(intake.state, "done")
        order = intake.sale_order_id
        self.assertRecordValues(
            order,
            [
                {
                    "partner_id": self.customer.id,
                    "client_order_ref": "WEB-1",
                    "origin": payload.name,
                    "omni_intake_id": intake.id,
                    "team_id": self.channel.id,
                    "state": "draft",
                }
            ],
        )
        self.assertEqual(order.order_line.product_id, self.product_a | self.product_b)
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [2.0, 1.0])
        self.assertEqual(order.partner_shipping_id.parent_id, self.customer)
        self.assertEqual(order.partner_shipping_id.street, "Ottenser Hauptstraße 10")
        steps = order.omni_event_ids.mapped("step")
        self.assertIn("received", steps)
        self.assertIn("validated", steps)
        validated = order.omni_event_ids.filtered(lambda e: e.step == "validated")
        self.assertEqual((validated.res_model, validated.res_id), (payload._name, payload.id))
        self.assertEqual(intake.attempt_ids.mapped("result"), ["created"])

    def test_channel_confirms_and_uses_payload_price(self):
        self.channel.write({"omni_intake_confirm": True, "omni_intake_use_payload_price": True})
        payload = self._receive(
            self._intake_order(
                "WEB-P", lines=[{"sku": "OMNI-A", "quantity": 1, "unit_price": 7.5}]
            )
        )
        order = payload.intake_ids.sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.price_unit, 7.5)

    def test_pricelist_price_unless_channel_says_otherwise(self):
        payload = self._receive(
            self._intake_order("WEB-Q", lines=[{"sku": "OMNI-A", "quantity": 1, "unit_price": 1}])
        )
        self.assertEqual(payload.intake_ids.sale_order_id.order_line.price_unit, 20.0)

    def test_duplicate_in_batch_and_in_second_payload(self):
        first = self._receive(self._intake_order("WEB-2"), self._intake_order("WEB-2"))
        self.assertEqual(first.intake_ids.mapped("state"), ["done", "duplicate"])
        owner = first.intake_ids.filtered(lambda i: i.state == "done")
        second = self._receive(self._intake_order("WEB-2"))
        self.assertRecordValues(
            second.intake_ids,
            [{"state": "duplicate", "duplicate_of_id": owner.id, "sale_order_id": False}],
        )
        self.assertEqual(
            self.env["sale.order"].search_count([("client_order_ref", "=", "WEB-2")]), 1
        )
        self.assertIn("duplicate", owner.attempt_ids.mapped("result"))

    def test_unknown_ean_error_map_and_retry(self):
        payload = self._receive(
            self._intake_order("EDI-7", lines=[{"ean": "4000000000017", "quantity": 3}])
        )
        intake = payload.intake_ids
        self.assertRecordValues(
            intake, [{"state": "error", "sale_order_id": False, "unmapped_code": "4000000000017"}]
        )
        self.assertIn("Line 1: unknown EAN 4000000000017", intake.error)
        self.assertEqual(intake.attempt_ids.result, "error")
        # retry without correction: still an error, still no order
        intake.action_retry()
        self.assertEqual(intake.state, "error")
        self.assertEqual(len(intake.attempt_ids), 2)
        wizard = Form(
            self.env["omni.intake.map.product"].with_context(
                default_intake_id=intake.id, default_code=intake.unmapped_code
            )
        )
        wizard.product_id = self.product_b
        self.assertEqual(wizard.partner_id, self.customer)
        with freeze_time(payload.received_date + timedelta(hours=3)):
            wizard.save().action_map()
        self.assertEqual(intake.state, "done")
        # the order's timeline shows the 3 hours it waited in the intake
        events = {e.step: e.date for e in intake.sale_order_id.omni_event_ids}
        self.assertEqual(events["received"], payload.received_date)
        self.assertEqual(events["validated"], payload.received_date + timedelta(hours=3))
        self.assertEqual(intake.sale_order_id.order_line.product_id, self.product_b)
        mapping = self.env["omni.intake.product.map"].search([("code", "=", "4000000000017")])
        self.assertEqual(mapping.partner_id, self.customer)
        # the mapping serves the next order of that customer directly
        nxt = self._receive(
            self._intake_order("EDI-8", lines=[{"ean": "4000000000017", "quantity": 1}])
        )
        self.assertEqual(nxt.intake_ids.sale_order_id.order_line.product_id, self.product_b)

    def test_address_correction_then_retry(self):
        payload = self._receive(
            self._intake_order(
                "WEB-ADR", shipping={"name": "X", "street": "Weg 1", "city": "Köln"}
            )
        )
        intake = payload.intake_ids
        self.assertEqual(intake.state, "error")
        self.assertIn("zip, country_code", intake.error)
        draft = json.loads(intake.draft)
        draft["shipping"].update(zip="50667", country_code="DE")
        intake.draft = json.dumps(draft)
        intake.action_retry()
        self.assertEqual(intake.state, "done")
        self.assertEqual(intake.sale_order_id.partner_shipping_id.zip, "50667")

    def test_unknown_customer_is_an_error_unless_channel_creates(self):
        order = self._intake_order("WEB-NEW")
        order["partner"] = {"email": "neu@example.com", "name": "Neue Kundin"}
        payload = self._receive(order)
        self.assertEqual(payload.intake_ids.state, "error")
        self.assertIn("Unknown customer", payload.intake_ids.error)
        self.channel.omni_intake_create_partner = True
        order["partner"].update(
            street="Hauptstr. 1", zip="10115", city="Berlin", country_code="DE"
        )
        order["external_ref"] = "WEB-NEW2"
        payload = self._receive(order)
        self.assertEqual(payload.intake_ids.state, "done")
        self.assertEqual(payload.intake_ids.sale_order_id.partner_id.email, "neu@example.com")

    def test_replay_after_mapping_fix_creates_no_duplicate(self):
        payload = self._receive(
            self._intake_order("R-1"),
            self._intake_order("R-2", lines=[{"customer_code": "ART-9", "quantity": 1}]),
        )
        self.assertEqual(payload.intake_ids.mapped("state"), ["done", "error"])
        self.env["omni.intake.product.map"].create(
            {"code": "ART-9", "product_id": self.product_a.id, "channel_id": self.channel.id}
        )
        payload.action_replay()
        payload.action_replay()
        payload.intake_ids.action_replay()
        self.assertEqual(len(payload.intake_ids), 2)
        self.assertEqual(payload.intake_ids.mapped("state"), ["done", "done"])
        self.assertEqual(
            self.env["sale.order"].search_count([("client_order_ref", "in", ["R-1", "R-2"])]), 2
        )

    def test_malformed_json_payload_kept_in_error(self):
        payload = self.env["omni.intake.payload"]._omni_receive(
            self.channel, b'{"orders": [', "rest", fmt="json"
        )
        self.assertEqual(payload.state, "error")
        self.assertEqual(payload.attachment_id.raw, b'{"orders": [')
        self.assertIn("not valid JSON", payload.error)
        self.assertFalse(payload.intake_ids)

    def test_broken_order_in_batch_does_not_stop_the_others(self):
        payload = self._receive(
            self._intake_order("OK-1"),
            self._intake_order("BAD-1", lines=[{"sku": "OMNI-A", "quantity": "zwei"}]),
            {"lines": []},
        )
        self.assertEqual(payload.intake_ids.mapped("state"), ["done", "error", "error"])
        bad = payload.intake_ids[1]
        self.assertIn("'zwei' is not a number", bad.error)
        self.assertFalse(payload.intake_ids[2].external_ref)
        # correcting the quantity makes it an order
        draft = json.loads(bad.draft)
        draft["lines"][0]["quantity"] = 2
        bad.draft = json.dumps(draft)
        bad.action_retry()
        self.assertEqual(bad.state, "done")

    def test_error_reason_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["omni_order"], ["de_DE"])
        payload = self._receive(
            self._intake_order("DE-1", lines=[{"ean": "4000000000024", "quantity": 1}])
        )
        intake = payload.intake_ids
        german = new_test_user(
            self.env, "intake_de", groups="omni_order.group_omni_user", lang="de_DE"
        )
        english = new_test_user(self.env, "intake_en", groups="omni_order.group_omni_user")
        # as the web client calls: the context carries the user's language
        for user, text in (
            (german, "Zeile 1: unbekannte EAN 4000000000024."),
            (english, "Line 1: unknown EAN 4000000000024."),
        ):
            record = intake.with_user(user).with_context(lang=user.lang)
            self.assertEqual(record.error, text)
            self.assertEqual(record.attempt_ids.message, text)
            self.assertEqual(record.read(["error"])[0]["error"], text)

    def test_export_escapes_formulas(self):
        order = self._intake_order('=HYPERLINK("http://x")', lines=[{"ean": "1", "quantity": 1}])
        order["partner"] = {"gln": "4012345000009", "name": "@SUM(A1:A9)"}
        payload = self._receive(order)
        action = payload.intake_ids.action_export_csv()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[1][2], '\'=HYPERLINK("http://x")')
        self.assertEqual(rows[1][3], "'@SUM(A1:A9)")
        for cell in rows[1]:
            self.assertNotIn(cell[:1], ("=", "+", "-", "@"))

    def test_nothing_is_deleted(self):
        payload = self._receive(self._intake_order("DEL-1"))
        user = new_test_user(self.env, "intake_mgr", groups="omni_order.group_omni_manager")
        with self.assertRaises(AccessError):
            payload.intake_ids.with_user(user).unlink()
        with self.assertRaises(AccessError):
            payload.with_user(user).unlink()
