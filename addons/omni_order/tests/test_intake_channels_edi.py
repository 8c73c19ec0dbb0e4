"""EDIFACT and CSV files through the intake: payload kept, orders created once, errors
explained in the reader's language and retryable after the fix."""

import base64
import pathlib

from odoo.tests import Form, tagged

from . import xml_attacks
from .common import OmniIntakeCommon

SAMPLES = pathlib.Path(__file__).resolve().parent / "samples"


@tagged("post_install", "-at_install")
class TestIntakeChannelsEdi(OmniIntakeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.edi = cls.env["crm.team"].create(
            {
                "name": "EDI Handel",
                "omni_intake_pricelist_id": cls.env["product.pricelist"]
                .create({"name": "EDI Handel EUR", "currency_id": eur.id})
                .id,
            }
        )
        cls.customer.omni_gln = "4000000000006"  # frees the samples' buyer GLN
        de = cls.env.ref("base.de")
        cls.schaefer = cls.env["res.partner"].create(
            {"name": "Warenhaus Schäfer KG", "omni_gln": "4012345000009", "country_id": de.id}
        )
        cls.groessmann = cls.env["res.partner"].create(
            {"name": "Bücherstube Größmann GmbH", "omni_gln": "4010000000012", "country_id": de.id}
        )
        cls.product_c = cls._omni_create_product("Omni Mütze", "OMNI-C", barcode="4006381333955")
        cls.interchange = (SAMPLES / "eancom_orders_unoc_2msg.edi").read_bytes()

    def _receive_file(self, data, filename, channel=None):
        return self.env["omni.intake.payload"]._omni_receive(
            channel or self.edi, data, "file", filename=filename
        )

    def test_interchange_with_two_messages(self):
        payload = self._receive_file(self.interchange, "ORDERS_ICR00815.edi")
        self.assertRecordValues(payload, [{"state": "parsed", "format": "edifact"}])
        self.assertEqual(payload.attachment_id.raw, self.interchange)  # the exact latin-1 bytes
        intakes = payload.intake_ids.sorted("index")
        self.assertEqual(intakes.mapped("state"), ["done", "done"])
        orders = intakes.sale_order_id
        self.assertEqual(orders.mapped("client_order_ref"), ["ORD-2026-4711", "ORD-2026-4712"])
        self.assertEqual(
            orders.partner_id.mapped("name"),
            ["Warenhaus Schäfer KG", "Bücherstube Größmann GmbH"],
        )
        first, second = orders
        self.assertEqual(first.partner_shipping_id.name, "Filiale Köln-Süd")
        self.assertEqual(first.partner_shipping_id.street, "Bonner Straße 271")
        self.assertEqual(second.partner_shipping_id.city, "Nürnberg")
        self.assertEqual(
            first.order_line.mapped(lambda line: (line.product_id, line.product_uom_qty)),
            [(self.product_a, 12.0), (self.product_b, 4.0)],
        )
        self.assertEqual(second.order_line.product_id, self.product_c)

    def test_same_interchange_twice_creates_no_order(self):
        first = self._receive_file(self.interchange, "ORDERS_ICR00815.edi")
        count = self.env["sale.order"].search_count([("team_id", "=", self.edi.id)])
        again = self._receive_file(self.interchange, "ORDERS_ICR00815.edi")
        self.assertEqual(again.intake_ids.mapped("state"), ["duplicate", "duplicate"])
        self.assertEqual(
            again.intake_ids.duplicate_of_id.sorted("id"), first.intake_ids.sorted("id")
        )
        self.assertEqual(
            self.env["sale.order"].search_count([("team_id", "=", self.edi.id)]), count
        )
        self.assertFalse(again.intake_ids.sale_order_id)

    def test_truncated_interchange_kept_explained_and_retried(self):
        truncated = (SAMPLES / "eancom_orders_truncated.edi").read_bytes()
        payload = self._receive_file(truncated, "ORDERS_ICR00815.edi")
        self.assertRecordValues(payload, [{"state": "error", "size": len(truncated)}])
        self.assertEqual(payload.attachment_id.raw, truncated)
        self.assertFalse(payload.intake_ids)
        self.assertEqual(
            payload.with_context(lang="en_US").error,
            "segment 33: The interchange is truncated: it breaks off inside segment 33, after "
            "segment 32 (CUX).",
        )
        self.env["res.lang"]._activate_lang("de_DE")
        self.assertEqual(
            payload.with_context(lang="de_DE").error,
            "segment 33: Die Übertragungsdatei ist abgeschnitten: sie bricht innerhalb von "
            "Segment 33 ab, nach Segment 32 (CUX).",
        )
        # replaying the same bytes changes nothing: still kept, still explained
        payload.action_replay()
        self.assertEqual(payload.state, "error")
        self.assertFalse(payload.intake_ids)
        # the fix: the partner re-sends the complete interchange; both orders arrive once
        fixed = self._receive_file(self.interchange, "ORDERS_ICR00815.edi")
        self.assertEqual(fixed.intake_ids.mapped("state"), ["done", "done"])
        self.assertEqual(payload.state, "error")

    def test_unknown_ean_from_edi_mapped_and_retried(self):
        data = (SAMPLES / "eancom_orders_unknown_ean.edi").read_bytes()
        intake = self._receive_file(data, "ORDERS_ICR00816.edi").intake_ids
        self.assertRecordValues(
            intake, [{"state": "error", "sale_order_id": False, "unmapped_code": "4006381333962"}]
        )
        wizard = Form(
            self.env["omni.intake.map.product"].with_context(
                default_intake_id=intake.id, default_code=intake.unmapped_code
            )
        )
        wizard.product_id = self.product_c
        wizard.save().action_map()
        self.assertEqual(intake.state, "done")
        self.assertEqual(intake.sale_order_id.partner_id, self.schaefer)
        self.assertEqual(intake.sale_order_id.order_line.product_id, self.product_c)
        self.assertEqual(intake.sale_order_id.order_line.product_uom_qty, 6.0)

    def test_csv_file_through_import_wizard(self):
        data = (
            "Bestellnummer;Kundennummer;Kunde;EAN;Menge;Einzelpreis\r\n"
            "CSV-1;K-100;Kaufhaus Nord GmbH;4006381333931;2;19,95\r\n"
            'CSV-1;K-100;Kaufhaus Nord GmbH;4006381333962;5;"7,90"\r\n'
        ).encode("cp1252")
        # the upload widget fills the (invisible) file name next to the file
        wizard = self.env["omni.intake.payload.import"].create(
            {
                "channel_id": self.channel.id,
                "file": base64.b64encode(data),
                "filename": "bestellung_nord.csv",
            }
        )
        wizard._onchange_filename()
        self.assertEqual(wizard.format, "csv")
        action = wizard.action_import()
        payload = self.env["omni.intake.payload"].browse(action["res_id"])
        self.assertRecordValues(payload, [{"state": "parsed", "format": "csv"}])
        self.assertEqual(payload.attachment_id.raw, data)
        intake = payload.intake_ids
        self.assertRecordValues(
            intake, [{"state": "error", "sale_order_id": False, "unmapped_code": "4006381333962"}]
        )
        self.assertIn("4006381333962", intake.error)
        mapper = Form(
            self.env["omni.intake.map.product"].with_context(
                default_intake_id=intake.id, default_code=intake.unmapped_code
            )
        )
        mapper.product_id = self.product_b
        mapper.save().action_map()
        self.assertEqual(intake.state, "done")
        order = intake.sale_order_id
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(
            order.order_line.mapped(lambda line: (line.product_id, line.product_uom_qty)),
            [(self.product_a, 2.0), (self.product_b, 5.0)],
        )
        # the same file again: no second order
        again = self._receive_file(data, "bestellung_nord.csv", channel=self.channel)
        self.assertEqual(again.intake_ids.state, "duplicate")

    def test_opentrans_order_and_customer_code_mapping(self):
        data = (SAMPLES / "opentrans_order.xml").read_bytes()
        payload = self._receive_file(data, "OT-2026-0815.xml")
        self.assertRecordValues(payload, [{"state": "parsed", "format": "opentrans"}])
        intake = payload.intake_ids
        # line 2 names the product only by the buyer's code SCH-88122: an error, not a guess
        self.assertRecordValues(intake, [{"state": "error", "unmapped_code": "SCH-88122"}])
        self.env["omni.intake.map.product"].create(
            {"intake_id": intake.id, "code": "SCH-88122", "product_id": self.product_b.id}
        ).action_map()
        self.assertEqual(intake.state, "done", intake.error)
        order = intake.sale_order_id
        self.assertEqual(order.partner_id, self.schaefer)
        self.assertEqual(order.partner_shipping_id.name, "Filiale Köln-Süd")
        self.assertEqual(
            order.order_line.mapped(lambda line: (line.product_id, line.product_uom_qty)),
            [(self.product_a, 12.0), (self.product_b, 4.0)],
        )

    def test_opentrans_external_entity_kept_in_error(self):
        data = xml_attacks.external_entity()
        payload = self._receive_file(data, "order.xml")
        self.assertRecordValues(payload, [{"state": "error", "format": "opentrans"}])
        self.assertEqual(payload.attachment_id.raw, data)
        self.assertFalse(payload.intake_ids)
        self.assertEqual(
            payload.with_context(lang="en_US").error,
            "line 2: The XML declares a DTD: entity declarations are refused (XXE and "
            "entity-expansion protection).",
        )
        self.assertNotIn("root:", payload.error)
