"""The webhook and the portal route over real HTTP (HttpCase: the request runs in the server)."""

import hashlib
import hmac
import json
import threading
import time
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from ..models import omni_carrier_event as event_module
from .common import CarrierHttpCase
from .test_wire_clients import decode_pdf


def sign(secret, body, ts=None):
    ts = str(int(ts if ts is not None else time.time()))
    signature = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Omni-Timestamp": ts, "X-Omni-Signature": signature}


def event(number, uid, code, when, text="", location="Köln"):
    return {
        "trackingNumber": number,
        "eventId": uid,
        "code": code,
        "text": text or code,
        "time": when,
        "location": location,
    }


@tagged("post_install", "-at_install")
class TestWebhookHttp(CarrierHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.accounts["hermes"]
        cls.url = f"/omni_carrier/webhook/hermes/{cls.account.id}"

    def setUp(self):
        super().setUp()
        picking = self.make_picking("hermes")
        picking.button_validate()
        self.perform_jobs()
        self.picking = picking
        self.parcel = picking.omni_parcel_ids
        self.assertEqual(self.parcel.status, "label_created")

    def post(self, events=None, raw=None, secret=None, ts=None, url=None):
        body = raw if raw is not None else json.dumps({"events": events}).encode()
        headers = sign(secret or "s3cret-hermes", body, ts)
        headers["Content-Type"] = "application/json"
        return self.url_open(url or self.url, data=body, headers=headers)

    def counts(self):
        self.env.invalidate_all()
        return (
            self.env["omni.carrier.event"].search_count([]),
            self.env["mail.message"].search_count(
                [("model", "in", ("stock.picking", "sale.order"))]
            ),
            self.env["omni.carrier.call"].search_count([]),
            self.env["omni.carrier.parcel"].search_count([("status", "!=", "label_created")]),
        )

    def test_forged_and_stale_rejected_before_any_write(self):
        before = self.counts()
        events = [event(self.parcel.tracking_number, "f-1", "3500", "2030-01-01T08:00:00+01:00")]
        response = self.post(events, secret="guessed")
        self.assertIn(response.status_code, (401, 403))
        stale = self.post(events, ts=time.time() - 3600)
        self.assertIn(stale.status_code, (401, 403))
        unsigned = self.url_open(self.url, data=json.dumps({"events": events}).encode())
        self.assertIn(unsigned.status_code, (401, 403))
        other_account = self.post(events, url=f"/omni_carrier/webhook/dhl/{self.account.id}")
        self.assertIn(other_account.status_code, (401, 403))
        dpd = self.accounts["dpd"]
        wrong_token = self.url_open(
            f"/omni_carrier/webhook/dpd/{dpd.id}/guess?pushid=1&pnr=1&status=delivered"
        )
        self.assertEqual(wrong_token.status_code, 403)
        self.assertEqual(self.counts(), before, "no event, message or status written")

    def test_valid_event_stored_status_and_customer_mail(self):
        events = [event(self.parcel.tracking_number, "ok-1", "3000", "2030-01-01T08:00:00+01:00")]
        response = self.post(events)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"accepted": 1})
        self.env.invalidate_all()
        self.assertEqual(self.parcel.status, "out_for_delivery")
        self.assertEqual(self.parcel.event_ids.event_uid, "ok-1")
        self.assertEqual(self.parcel.event_ids.source, "webhook")
        mails = self.env["mail.mail"].search(
            [("model", "=", "stock.picking"), ("res_id", "=", self.picking.id)]
        )
        out = mails.filtered(lambda m: "today" in (m.subject or ""))
        self.assertEqual(out.recipient_ids, self.customer)
        # the same event again, and the same status by another event: no second e-mail
        self.assertEqual(self.post(events).status_code, 200)
        again = [event(self.parcel.tracking_number, "ok-2", "3000", "2030-01-01T09:00:00+01:00")]
        self.assertEqual(self.post(again).json(), {"accepted": 1})
        self.env.invalidate_all()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "stock.picking"), ("res_id", "=", self.picking.id)]
            ),
            len(mails),
        )

    def test_duplicate_sequential_and_concurrent_one_row(self):
        events = [event(self.parcel.tracking_number, "dup-1", "2000", "2030-01-01T08:00:00Z")]
        first, second = self.post(events), self.post(events)
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual(second.json(), {"accepted": 0})
        concurrent = [event(self.parcel.tracking_number, "dup-2", "3000", "2030-01-01T09:00Z")]
        barrier = threading.Barrier(2)
        statuses = []

        def deliver():
            barrier.wait()
            statuses.append(self.post(concurrent).status_code)

        threads = [threading.Thread(target=deliver) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(statuses), [200, 200])
        Event = self.env["omni.carrier.event"]
        self.assertEqual(Event.search_count([("event_uid", "=", "dup-1")]), 1)
        self.assertEqual(Event.search_count([("event_uid", "=", "dup-2")]), 1)

    def test_late_event_does_not_regress(self):
        number = self.parcel.tracking_number
        self.post([event(number, "l-1", "3500", "2030-01-01T12:00:00+01:00")])
        response = self.post([event(number, "l-2", "2000", "2030-01-01T09:00:00+01:00")])
        self.assertEqual(response.json(), {"accepted": 1})
        self.env.invalidate_all()
        self.assertEqual(self.parcel.status, "delivered")
        self.assertEqual(len(self.parcel.event_ids), 2)

    def test_unknown_tracking_number_accepted_and_logged(self):
        with patch.object(event_module._logger, "info") as info:
            response = self.post([event("H10999999999999", "u-1", "2000", "2030-01-01T08:00Z")])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"accepted": 0})
        self.assertIn(
            "H10999999999999", [str(a) for call in info.call_args_list for a in call.args]
        )
        self.assertFalse(self.env["omni.carrier.event"].search_count([("event_uid", "=", "u-1")]))

    def test_malformed_json_400(self):
        for raw in (b"{not json", b"[1, 2]", b'{"events": [{"trackingNumber": "x"}]}'):
            response = self.post(raw=raw)
            self.assertEqual(response.status_code, 400, raw)
        self.assertFalse(self.env["omni.carrier.event"].search_count([]))

    def test_multi_company_event_processed_under_its_company(self):
        company_b = self.env["res.company"].create({"name": "Omni Filiale B"})
        account_b = self.make_account(
            "hermes", company_id=company_b.id, webhook_secret="s3cret-b", name="Hermes B"
        )
        product_b = self.env["product.product"].create(
            {"name": "Ship B", "type": "service", "company_id": company_b.id}
        )
        carrier_b = self.env["delivery.carrier"].create(
            {
                "name": "Hermes B",
                "delivery_type": "omni_hermes",
                "product_id": product_b.id,
                "company_id": company_b.id,
                "omni_account_id": account_b.id,
            }
        )
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        picking_b = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse_b.out_type_id.id,
                "partner_id": self.customer.id,
                "company_id": company_b.id,
                "carrier_id": carrier_b.id,
            }
        )
        shipment_b = self.env["omni.carrier.shipment"].create(
            {
                "name": "B-1",
                "idempotency_key": "test:b-1",
                "picking_id": picking_b.id,
                "carrier_id": carrier_b.id,
                "account_id": account_b.id,
                "company_id": company_b.id,
                "state": "done",
            }
        )
        parcel_b = self.env["omni.carrier.parcel"].create(
            {"shipment_id": shipment_b.id, "tracking_number": "H10888888888888"}
        )
        events = [event("H10888888888888", "b-1", "2000", "2030-01-01T08:00:00Z")]
        # company A's account and secret cannot touch company B's parcel
        self.assertEqual(self.post(events).json(), {"accepted": 0})
        url_b = f"/omni_carrier/webhook/hermes/{account_b.id}"
        self.assertIn(self.post(events, url=url_b).status_code, (401, 403))
        response = self.post(events, url=url_b, secret="s3cret-b")
        self.assertEqual(response.json(), {"accepted": 1})
        self.env.invalidate_all()
        self.assertEqual(parcel_b.status, "in_transit")
        self.assertEqual(parcel_b.event_ids.company_id, company_b)


@tagged("post_install", "-at_install")
class TestPortalReturnHttp(CarrierHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carriers["dhl"].get_return_label_from_portal = True
        cls.owner = new_test_user(cls.env, "omni_owner", groups="base.group_portal")
        cls.other = new_test_user(cls.env, "omni_other", groups="base.group_portal")
        cls.owner.partner_id.write(
            {
                "street": "Heidestr. 17",
                "zip": "51147",
                "city": "Köln",
                "country_id": cls.env.ref("base.de").id,
                "email": "owner@example.com",
            }
        )

    def setUp(self):
        super().setUp()
        picking = self.make_picking("dhl", partner=self.owner.partner_id)
        picking.button_validate()
        self.perform_jobs()
        self.picking = picking
        self.order = picking.sale_id
        self.order.message_subscribe(partner_ids=self.owner.partner_id.ids)
        self.url = f"/omni_carrier/return_label/{picking.id}"

    def test_owner_gets_return_label_pdf(self):
        self.authenticate("omni_owner", "omni_owner")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.url, page.text, "the portal order page offers the return label")
        self.sim.reset_calls()
        first = self.url_open(self.url, allow_redirects=False)
        self.assertIn(first.status_code, (302, 303))
        self.assertFalse(self.sim.calls, "the label is bought by a job, not in the request")
        self.url_open(self.url, allow_redirects=False)  # reload: still one request
        ret = self.picking.omni_shipment_ids.filtered(lambda s: s.kind == "return")
        self.assertEqual(len(ret), 1)
        self.perform_jobs()
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.env.invalidate_all()
        self.assertEqual(decode_pdf(response.content), [ret.tracking_ref])

    def test_other_portal_user_and_anonymous_refused(self):
        self.authenticate("omni_other", "omni_other")
        self.assertIn(self.url_open(self.url).status_code, (403, 404))
        self.authenticate(None, None)
        self.assertIn(self.url_open(self.url).status_code, (403, 404))
        wrong = self.url_open(f"{self.url}?access_token=not-the-token")
        self.assertIn(wrong.status_code, (403, 404))
        self.assertFalse(self.picking.omni_shipment_ids.filtered(lambda s: s.kind == "return"))
        # the order's access token (link in the order e-mail) is enough
        token = self.order._portal_ensure_token()
        response = self.url_open(f"{self.url}?access_token={token}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(self.picking.omni_shipment_ids.filtered(lambda s: s.kind == "return"))
