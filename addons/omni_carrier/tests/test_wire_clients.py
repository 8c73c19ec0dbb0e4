"""Wire clients against the real local simulators (no ORM)."""

import base64
import io

import pypdfium2
import zxingcpp

from odoo.tests import tagged

from ..carriers.common import CarrierAuthError, CarrierError
from ..carriers.dhl import DhlClient
from ..carriers.dpd import DpdClient
from ..carriers.hermes import HermesClient
from ..controllers.main import verify_signature
from ..simulators.labels import pdf_labels
from .common import ADDRESS, SimulatorCase


def decode_pdf(pdf_bytes):
    """Tracking numbers read back from every page's barcode (rendered, then decoded)."""
    found = []
    for page in pypdfium2.PdfDocument(io.BytesIO(pdf_bytes)):
        image = page.render(scale=3).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def request(ref="SO-1", parcels=2, **services):
    return {
        "reference": ref,
        "shipper": dict(ADDRESS, name="Omni GmbH", zip="10115", city="Berlin"),
        "recipient": dict(ADDRESS),
        "parcels": [{"weight": 1.0 + i} for i in range(parcels)],
        "services": services,
    }


@tagged("post_install", "-at_install")
class TestWireClients(SimulatorCase):
    def dhl(self, **kw):
        return DhlClient(
            self.sim.url + "/dhl",
            kw.get("user", "user-valid"),
            "SandboxPasswort2023!",
            "sim-client",
            "sim-secret",
            "33333333330102",
            timeout=(2, kw.get("read", 5)),
        )

    def dpd(self, user="sandboxdpd", password="sim-password"):
        return DpdClient(self.sim.url + "/dpd", user, password, timeout=(2, 5))

    def hermes(self, password="sim-password"):
        return HermesClient(
            self.sim.url + "/hermes",
            "sim-user",
            password,
            "sim-client",
            "sim-secret",
            timeout=(2, 0.5),
        )

    # --- labels ---
    def test_dhl_multi_parcel_pdf_barcodes_decode(self):
        result = self.dhl().create_shipment(request(parcels=2, return_label=True))
        self.assertEqual(len(result.parcels), 2)
        for parcel in result.parcels:
            self.assertEqual(decode_pdf(parcel.label), [parcel.tracking_number])
        self.assertTrue(result.return_tracking_number)
        self.assertEqual(decode_pdf(result.return_label), [result.return_tracking_number])

    def test_dpd_pdf_one_page_per_parcel_decodes(self):
        result = self.dpd().create_shipment(request(parcels=3))
        self.assertEqual(decode_pdf(result.label), [p.tracking_number for p in result.parcels])
        self.assertTrue(all(len(p.tracking_number) == 14 for p in result.parcels))

    def test_hermes_zpl_and_pdf(self):
        zpl = self.hermes().create_shipment(dict(request(parcels=1), label_format="ZPL"))
        number = zpl.parcels[0].tracking_number
        self.assertIn(f"^BCN,200,Y,N,N^FD{number}^FS", zpl.label.decode())
        pdf = self.hermes().create_shipment(request(ref="SO-2", parcels=1))
        self.assertEqual(decode_pdf(pdf.parcels[0].label), [pdf.parcels[0].tracking_number])

    def test_dhl_zpl(self):
        result = self.dhl().create_shipment(dict(request(parcels=1), label_format="ZPL"))
        self.assertIn("^BC", result.parcels[0].label.decode())
        self.assertIn(result.parcels[0].tracking_number, result.parcels[0].label.decode())

    def test_label_helper_roundtrip(self):
        self.assertEqual(
            decode_pdf(pdf_labels([{"number": "00340434161094015902"}])), ["00340434161094015902"]
        )

    # --- errors ---
    def test_dhl_business_fault_and_bad_credentials(self):
        with self.assertRaises(CarrierError) as ctx:
            self.dhl().create_shipment(
                dict(request(parcels=1), recipient=dict(ADDRESS, zip="00000"))
            )
        self.assertIn("postcode", str(ctx.exception))
        self.assertFalse(ctx.exception.retryable)
        with self.assertRaises(CarrierError) as ctx:
            self.dhl(user="nobody").create_shipment(request(parcels=1))
        self.assertIn("login refused", str(ctx.exception))

    def test_dhl_token_expiry_relogin_once(self):
        client = self.dhl()
        client.create_shipment(request(parcels=1))
        self.sim.reset_calls()
        self.sim.state.expire_tokens("dhl")
        client.create_shipment(request(ref="SO-X", parcels=1))
        ops = [(c.op, c.status) for c in self.sim.calls_for("dhl")]
        self.assertEqual(ops, [("create", 401), ("token", 200), ("create", 200)])

    def test_dhl_server_error_retryable_and_429(self):
        with self.assertRaises(CarrierError) as ctx:
            self.dhl().create_shipment(request(ref="SIM_500", parcels=1))
        self.assertTrue(ctx.exception.retryable)
        with self.assertRaises(CarrierError) as ctx:
            self.dhl().create_shipment(request(ref="SIM_429", parcels=1))
        self.assertEqual(ctx.exception.retry_after, 1.0)

    def test_dhl_timeout_is_ambiguous_no_lookup_by_reference(self):
        """The shipment exists at DHL after the timeout; the real API (GET /orders) only takes
        shipment numbers, so the client offers no reconcile and the sim no refNo lookup."""
        client = self.dhl(read=0.3)
        with self.assertRaises(CarrierError) as ctx:
            client.create_shipment(request(ref="SIM_TIMEOUT-7", parcels=1))
        self.assertTrue(ctx.exception.ambiguous)
        self.assertFalse(getattr(client, "can_reconcile", False))
        number = next(
            n for n, s in self.sim.state.shipments.items() if s["ref"] == "SIM_TIMEOUT-7-1"
        )
        response = client._authorized(
            "GET", "/parcel/de/shipping/v2/orders", params={"refNo": "SIM_TIMEOUT-7-1"}
        )
        self.assertFalse(response.json()["items"], "no lookup by refNo in the contract")
        docs = client.get_documents([number])
        self.assertEqual(decode_pdf(docs.parcels[0].label), [number])

    def test_dpd_soap_fault_business_fault_and_relogin(self):
        client = self.dpd()
        with self.assertRaises(CarrierError) as ctx:
            client.create_shipment(request(ref="SIM_FAULT"))
        self.assertIn("Fault occured", str(ctx.exception))
        with self.assertRaises(CarrierError) as ctx:
            client.create_shipment(dict(request(), recipient=dict(ADDRESS, zip="5114")))
        self.assertEqual(ctx.exception.code, "COMMON_7")
        with self.assertRaises(CarrierAuthError):
            self.dpd(password="wrong").create_shipment(request())
        expired = self.dpd(user="expired")
        self.sim.reset_calls()
        self.assertTrue(expired.create_shipment(request(parcels=1)).parcels)
        ops = [c.op for c in self.sim.calls_for("dpd")]
        self.assertEqual(ops, ["getAuth", "storeOrders", "getAuth", "storeOrders"])

    def test_dpd_timeout_from_operation_timeout(self):
        client = DpdClient(self.sim.url + "/dpd", "sandboxdpd", "sim-password", timeout=(2, 0.3))
        with self.assertRaises(CarrierError) as ctx:
            client.create_shipment(request(ref="SIM_TIMEOUT"))
        self.assertTrue(ctx.exception.ambiguous)

    def test_hermes_errors_and_token_refresh(self):
        client = self.hermes()
        with self.assertRaises(CarrierError) as ctx:
            client.create_shipment(dict(request(parcels=1), recipient=dict(ADDRESS, country="US")))
        self.assertEqual(ctx.exception.code, "e005")
        self.sim.state.expire_tokens("hermes")
        self.sim.reset_calls()
        client.create_shipment(request(ref="H-2", parcels=1))
        self.assertEqual(
            [c.op for c in self.sim.calls_for("hermes")], ["create", "token", "create"]
        )
        refresh = self.sim.calls_for("hermes", "token")[0]
        self.assertIn(b"grant_type=refresh_token", refresh.body)
        with self.assertRaises(CarrierError):
            self.hermes(password="bad").create_shipment(request(parcels=1))

    # --- locations, tracking, returns, cancel ---
    def test_locations_all_carriers(self):
        for client in (self.dhl(), self.dpd(), self.hermes()):
            points = client.find_locations("51147", city="Köln")
            self.assertEqual(len(points), 3)
            self.assertTrue(points[0].opening_hours)
            self.assertLessEqual(points[0].distance_km, points[-1].distance_km)
        self.assertEqual(self.dhl().find_locations("00000"), [])

    def test_tracking_and_cancel_and_return(self):
        client = self.dhl()
        number = client.create_shipment(request(parcels=1)).parcels[0].tracking_number
        self.sim.state.advance(number, 4)
        codes = [e.code for e in client.track([number])]
        self.assertEqual(codes, ["VA", "AE", "AA", "PO", "ZU"])
        self.assertTrue(client.cancel([number]))
        with self.assertRaises(CarrierError):
            client.cancel([number])
        ret = client.create_return({"reference": "R-1", "sender": ADDRESS})
        self.assertEqual(decode_pdf(ret.label), [ret.tracking_number])
        hermes_ret = self.hermes().create_return({"reference": "R-1", "sender": ADDRESS})
        self.assertTrue(base64.b64encode(hermes_ret.label))

    def test_webhook_signature(self):
        body = b'{"events": []}'
        import hashlib
        import hmac

        sig = hmac.new(b"k", b"1000." + body, hashlib.sha256).hexdigest()
        self.assertTrue(verify_signature("k", "1000", body, sig, 300, now=1100))
        self.assertFalse(verify_signature("k", "1000", body, sig, 300, now=2000))  # stale
        self.assertFalse(
            verify_signature("k", "1000", body + b" ", sig, 300, now=1100)
        )  # modified
        self.assertFalse(verify_signature("other", "1000", body, sig, 300, now=1100))  # forged
