import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta

from odoo.tests import tagged

from ..carriers.common import TrackingEvent
from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestTracking(CarrierCase):
    def shipped(self, code):
        picking = self.make_picking(code)
        picking.button_validate()
        self.perform_jobs()
        return picking

    def test_polling_all_carriers_to_delivered(self):
        for code in ("dhl", "dpd", "hermes"):
            picking = self.shipped(code)
            parcel = picking.omni_parcel_ids
            self.sim.state.advance(parcel.tracking_number, 3)
            self.env["omni.carrier.parcel"]._cron_poll_tracking()
            self.assertEqual(parcel.status, "out_for_delivery" if code != "dpd" else "in_transit")
            self.assertGreaterEqual(len(parcel.event_ids), 3)
            self.sim.state.advance(parcel.tracking_number, 5)
            self.env["omni.carrier.parcel"]._cron_poll_tracking()
            self.assertEqual(
                parcel.status,
                "delivered",
                (
                    code,
                    parcel.event_ids.mapped(lambda e: (e.raw_code, e.status, str(e.event_time))),
                    str(parcel.status_date),
                ),
            )
            self.assertIn("delivered", picking.sale_id.omni_event_ids.mapped("step"))
            # final parcels are not polled again
            self.sim.reset_calls()
            picking.omni_parcel_ids.search(
                [("id", "=", parcel.id), ("is_final", "=", False)]
            )._omni_poll(parcel.account_id)
            self.env["omni.carrier.parcel"]._cron_poll_tracking()
            self.assertFalse(
                [
                    c
                    for c in self.sim.calls
                    if parcel.tracking_number in str(c.query) + c.body.decode(errors="ignore")
                ]
            )

    def test_mapping_extensible_and_late_event_does_not_regress(self):
        picking = self.shipped("hermes")
        parcel = picking.omni_parcel_ids
        self.env["omni.carrier.status.map"].create(
            {"carrier_code": "hermes", "code": "3999", "status": "exception"}
        )
        now = datetime(2030, 1, 1, 12)
        Event = self.env["omni.carrier.event"]
        Event._omni_ingest(
            "hermes", [TrackingEvent(parcel.tracking_number, "e1", "3999", "Sonderfall", now)]
        )
        self.assertEqual(parcel.status, "exception")
        Event._omni_ingest(
            "hermes",
            [
                TrackingEvent(
                    parcel.tracking_number, "e2", "3500", "zugestellt", now + timedelta(hours=2)
                )
            ],
        )
        Event._omni_ingest(
            "hermes",
            [
                TrackingEvent(
                    parcel.tracking_number, "e3", "2000", "im LC", now + timedelta(hours=1)
                )
            ],
        )
        self.assertEqual(parcel.status, "delivered")
        self.assertEqual(len(parcel.event_ids), 3)
        self.assertEqual(
            parcel.event_ids.filtered(lambda e: e.event_uid == "e3").status, "in_transit"
        )

    def signed(self, account, body, ts=None, secret=None):
        ts = str(int(ts or time.time()))
        sig = hmac.new(
            (secret or account.webhook_secret).encode(), f"{ts}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return {"X-Omni-Timestamp": ts, "X-Omni-Signature": sig}

    def test_webhook_signed_forged_duplicate_and_notification_once(self):
        from ..controllers.main import parse_events, verify_signature

        picking = self.shipped("hermes")
        parcel = picking.omni_parcel_ids
        account = self.accounts["hermes"]
        body = json.dumps(
            {
                "events": [
                    {
                        "trackingNumber": parcel.tracking_number,
                        "eventId": "push-1",
                        "code": "3000",
                        "text": "In Zustellung",
                        "time": "2030-01-01T08:00:00+01:00",
                        "location": "Köln",
                    }
                ]
            }
        ).encode()
        forged = self.signed(account, body, secret="guess")
        self.assertFalse(
            verify_signature(
                account.webhook_secret,
                forged["X-Omni-Timestamp"],
                body,
                forged["X-Omni-Signature"],
                300,
            )
        )
        good = self.signed(account, body)
        self.assertTrue(
            verify_signature(
                account.webhook_secret,
                good["X-Omni-Timestamp"],
                body,
                good["X-Omni-Signature"],
                300,
            )
        )
        Event = self.env["omni.carrier.event"]
        messages = len(picking.message_ids)
        self.assertEqual(Event._omni_ingest("hermes", parse_events(body), source="webhook"), 1)
        self.assertEqual(
            Event._omni_ingest("hermes", parse_events(body), source="webhook"), 0
        )  # duplicate
        self.assertEqual(len(parcel.event_ids), 1)
        self.assertEqual(parcel.status, "out_for_delivery")
        self.assertEqual(len(picking.message_ids) - messages, 1, "one e-mail for out_for_delivery")
        self.assertIn("out for delivery", picking.message_ids[0].body)

    def test_dpd_push_ready_for_pickup_duplicate_ignored(self):
        """A DPD push (as the controller parses it) moves the status; its duplicate is ignored."""
        picking = self.shipped("dpd")
        parcel = picking.omni_parcel_ids
        account = self.accounts["dpd"]
        from ..controllers.main import dpd_push_event

        event = dpd_push_event(
            {
                "pushid": "77",
                "pnr": parcel.tracking_number,
                "status": "delivery_shop",
                "statusdate": "010120300930",
                "depot": "0163",
            }
        )
        Event = self.env["omni.carrier.event"]
        self.assertEqual(Event._omni_ingest("dpd", [event], source="webhook"), 1)
        self.assertEqual(Event._omni_ingest("dpd", [event], source="webhook"), 0)
        self.assertEqual(parcel.status, "ready_for_pickup")
        self.assertIn("ready_for_pickup", picking.sale_id.omni_event_ids.mapped("step"))
        self.assertTrue(account.webhook_secret)

    def test_customer_mail_to_orderer_once_also_for_parcel_shop(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.set_delivery_line(self.carriers["dhl"], 4.5)
        shop = order._get_pickup_locations()["pickup_locations"][0]
        for pickup in (None, shop):
            picking = self.make_picking("dhl", pickup=pickup, qty=1)
            picking.button_validate()
            self.perform_jobs()
            if pickup:
                self.assertNotEqual(picking.partner_id, self.customer, "goes to the shop")
            message = picking.message_ids.filtered(lambda m: "on its way" in (m.body or ""))
            self.assertEqual(len(message), 1)
            self.assertEqual(message.partner_ids, self.customer)
            mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertIn(self.customer, mails.recipient_ids, mails.recipient_ids.mapped("name"))
            # the same status again (replayed job, second parcel, repeated event): nothing
            count = len(picking.message_ids)
            picking.omni_parcel_ids._omni_set_status("label_created", None)
            picking.omni_parcel_ids._omni_notify("label_created")
            self.assertEqual(len(picking.message_ids), count)
        # switched off per carrier: no e-mail
        self.carriers["dhl"].omni_notify_out_for_delivery = False
        parcel = picking.omni_parcel_ids
        Event = self.env["omni.carrier.event"]
        Event._omni_ingest(
            "dhl",
            [
                TrackingEvent(
                    parcel.tracking_number, "x1", "PO", "in Zustellung", datetime(2030, 1, 1, 9)
                )
            ],
        )
        self.assertEqual(parcel.status, "out_for_delivery")
        self.assertEqual(len(picking.message_ids), count)
