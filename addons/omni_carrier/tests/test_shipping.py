import io

from PyPDF2 import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError

from .common import CarrierCase
from .test_wire_clients import decode_pdf


@tagged("post_install", "-at_install")
class TestShipping(CarrierCase):
    def validate(self, pickings):
        for picking in pickings:
            picking.button_validate()

    def test_validate_queues_no_carrier_call_then_job_buys_once(self):
        for code in ("dhl", "dpd", "hermes"):
            picking = self.make_picking(code, packages=2)
            self.sim.reset_calls()
            self.validate(picking)
            self.assertEqual(picking.state, "done")
            self.assertFalse(
                [c for c in self.sim.calls if c.op in ("create", "storeOrders")],
                "no call in the transaction",
            )
            self.assertEqual(len(self.pending_jobs()), 1)
            shipment = picking.omni_shipment_ids
            self.assertEqual(shipment.state, "queued")
            self.assertTrue(picking.omni_waiting)
            self.perform_jobs()
            self.assertEqual(shipment.state, "done", shipment.error_message)
            self.assertEqual(len(shipment.parcel_ids), 2)
            self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_ref)
            self.assertEqual(len(shipment.parcel_ids.package_id), 2)
            labels = shipment.label_attachment_ids
            self.assertTrue(all(a.name.startswith(f"LabelShipping-omni_{code}") for a in labels))
            numbers = sum((decode_pdf(a.raw) for a in labels), [])
            self.assertEqual(
                sorted(numbers), sorted(shipment.parcel_ids.mapped("tracking_number"))
            )
            # a second request (re-validate, replayed transaction, bulk) never buys again
            self.sim.reset_calls()
            picking.action_omni_request_labels()
            picking.send_to_shipper()
            self.assertFalse(self.pending_jobs())
            shipment._omni_job_send()
            self.assertFalse(self.sim.calls)
            self.assertIn("shipped", picking.sale_id.omni_event_ids.mapped("step"))

    def test_bulk_batch_partial_failure_and_merged_pdf(self):
        good = [self.make_picking("dhl") for _i in range(3)]
        bad_partner = self.customer.copy({"zip": "00000"})
        bad = self.make_picking("dhl", partner=bad_partner)
        pickings = good[0] | good[1] | good[2] | bad
        pickings.move_ids.picked = True
        pickings.with_context(skip_sms=True).button_validate()
        self.assertEqual(len(self.pending_jobs()), 4)
        self.perform_jobs()
        states = pickings.omni_shipment_ids.mapped("state")
        self.assertEqual(sorted(states), ["done", "done", "done", "failed"])
        self.assertIn("postcode", bad.omni_shipment_ids.error_message)
        self.assertIn(bad.name, bad.omni_shipment_ids.error_message)
        self.assertTrue(bad.activity_ids)
        action = pickings.action_omni_print_labels()
        merged = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(len(PdfReader(io.BytesIO(merged.raw)).pages), 3)

    def run_timed_out_job(self):
        # not assertRaises: it would roll back to a savepoint, like a new job transaction
        # would not (the call log is written on its own cursor before the call)
        retried = False
        try:
            self.perform_jobs()
        except RetryableJobError:
            retried = True
        return retried

    def test_timeout_hermes_reconciles_by_reference(self):
        """Hermes lists shipment orders with their clientReference: the retry finds the
        order created by the timed-out call, reprints its label, creates only the rest."""
        picking = self.make_picking(
            "hermes", partner=self.customer.copy({"name": "Max SIM_TIMEOUT"}), packages=2
        )
        self.validate(picking)
        self.sim.reset_calls()
        self.assertTrue(self.run_timed_out_job(), "the timeout must leave the job to retry")
        shipment = picking.omni_shipment_ids
        self.assertEqual(shipment.state, "queued")
        self.assertEqual(len(self.sim.calls_for("hermes", "create")), 1)
        picking.partner_id.name = "Max Mustermann"  # parcel 2 must not time out again
        self.sim.reset_calls()
        shipment._omni_job_send()  # the retry reconciles instead of creating again
        self.assertEqual(shipment.state, "done", shipment.error_message)
        self.assertEqual(len(self.sim.calls_for("hermes", "orders")), 1)
        self.assertEqual(len(self.sim.calls_for("hermes", "reprint")), 1, "parcel 1 reused")
        self.assertEqual(len(self.sim.calls_for("hermes", "create")), 1, "only parcel 2 bought")
        self.assertEqual(len(shipment.parcel_ids), 2)
        created = {
            n for n, s in self.sim.state.shipments.items() if s["ref"].startswith(shipment.name)
        }
        self.assertEqual(created, set(shipment.parcel_ids.mapped("tracking_number")))
        numbers = sum((decode_pdf(a.raw) for a in shipment.label_attachment_ids), [])
        self.assertEqual(sorted(numbers), sorted(created))

    def test_timeout_without_lookup_needs_reconcile(self):
        """DHL and DPD cannot look a shipment up by reference: a timed-out create is never
        retried blindly; the picking shows it and a person reconciles."""
        for code in ("dhl", "dpd"):
            picking = self.make_picking(
                code, partner=self.customer.copy({"name": "Max SIM_TIMEOUT"})
            )
            self.validate(picking)
            self.sim.reset_calls()
            self.assertFalse(self.run_timed_out_job(), "no automatic retry")
            shipment = picking.omni_shipment_ids
            self.assertEqual(shipment.state, "unknown")
            creates = [c for c in self.sim.calls if c.op in ("create", "storeOrders")]
            self.assertEqual(len(creates), 1)
            self.assertFalse(self.pending_jobs())
            self.assertTrue(picking.omni_needs_reconcile)
            self.assertFalse(picking.omni_waiting)
            self.assertIn(
                picking, picking.search([("omni_needs_reconcile", "=", True)]), "list filter"
            )
            activity = picking.activity_ids.filtered(lambda a, ref=shipment.name: ref in a.summary)
            self.assertTrue(activity)
            # a replay of the job (or a new request) does not buy a second label
            shipment.state = "queued"
            shipment._omni_job_send()
            self.assertEqual(shipment.state, "unknown")
            picking._omni_request_shipment()
            self.assertEqual(len(picking.omni_shipment_ids), 1)
            self.assertEqual(
                len([c for c in self.sim.calls if c.op in ("create", "storeOrders")]), 1
            )
            # the person finds the parcel in the carrier portal
            number = next(
                n for n, s in self.sim.state.shipments.items() if shipment.name in (s["ref"] or "")
            )
            action = shipment.action_reconcile()
            wizard = (
                self.env[action["res_model"]]
                .with_context(**action["context"])
                .create({"tracking_numbers": number})
            )
            wizard.action_confirm_created()
            self.assertEqual(shipment.state, "done")
            self.assertEqual(shipment.parcel_ids.tracking_number, number)
            self.assertEqual(picking.carrier_tracking_ref, number)
            self.assertFalse(picking.omni_needs_reconcile)
            self.assertFalse(activity.exists(), "the activity is done")
            self.assertEqual(
                len([c for c in self.sim.calls if c.op in ("create", "storeOrders")]), 1
            )

    def test_reconcile_not_created_requests_again(self):
        picking = self.make_picking("dpd", partner=self.customer.copy({"name": "Max SIM_TIMEOUT"}))
        self.validate(picking)
        self.run_timed_out_job()
        shipment = picking.omni_shipment_ids
        self.assertEqual(shipment.state, "unknown")
        picking.partner_id.name = "Max Mustermann"  # the retry must not time out again
        wizard = self.env["omni.carrier.shipment.reconcile"].create({"shipment_id": shipment.id})
        with self.assertRaises(UserError):
            wizard.action_confirm_created()  # no numbers entered
        self.sim.reset_calls()
        wizard.action_confirm_not_created()
        self.assertEqual(shipment.state, "queued")
        self.assertFalse(self.sim.calls, "no carrier call in the user's transaction")
        self.perform_jobs()
        self.assertEqual(shipment.state, "done", shipment.error_message)
        self.assertEqual(len(self.sim.calls_for("dpd", "storeOrders")), 1)

    def test_carrier_down_waits_and_retries(self):
        picking = self.make_picking("dhl", partner=self.customer.copy({"name": "SIM_500 GmbH"}))
        self.validate(picking)
        with self.assertRaises(RetryableJobError) as ctx:
            self.perform_jobs()
        self.assertIn(picking.name, str(ctx.exception))
        self.assertEqual(picking.omni_shipment_ids.state, "queued")
        self.assertTrue(picking.search([("omni_waiting", "=", True), ("id", "=", picking.id)]))

    def test_cancel_relabel_history(self):
        picking = self.make_picking("dhl")
        self.validate(picking)
        self.perform_jobs()
        old = picking.omni_shipment_ids
        self.sim.reset_calls()
        picking.action_omni_relabel()
        self.assertFalse(self.sim.calls, "no carrier call in the user's transaction")
        self.assertEqual(old.state, "voiding")
        self.perform_jobs()
        self.assertEqual(old.state, "voided")
        self.assertEqual(old.parcel_ids.status, "cancelled")
        new = picking.omni_shipment_ids - old
        self.assertEqual(new.state, "done")
        self.assertEqual(old.replaced_by_id, new)
        self.assertEqual(picking.carrier_tracking_ref, new.tracking_ref)
        self.assertEqual(len(self.sim.calls_for("dhl", "cancel")), 1)
        self.assertEqual(self.sim.calls_for("dhl", "cancel")[-1].status, 200)

    def test_cancel_replayed_cancels_once(self):
        picking = self.make_picking("dhl")
        self.validate(picking)
        self.perform_jobs()
        shipment = picking.omni_shipment_ids
        picking.cancel_shipment()  # core button: carrier hook, then core clears the ref
        picking.cancel_shipment()  # double click / replayed request
        self.assertEqual(len(self.pending_jobs()), 1, "one cancel job (identity key)")
        self.sim.reset_calls()
        self.perform_jobs()
        shipment._omni_job_void()  # job replayed
        self.assertEqual(shipment.state, "voided")
        self.assertEqual(len(self.sim.calls_for("dhl", "cancel")), 1)
        self.assertTrue(self.sim.state.shipments[shipment.tracking_ref]["cancelled"])

    def test_cancel_answer_lost_then_repeated(self):
        """The first cancel reached DHL but its answer was lost: the repeat hears
        "unknown shipment number" and the shipment is voided, not left in limbo."""
        picking = self.make_picking("dhl")
        self.validate(picking)
        self.perform_jobs()
        shipment = picking.omni_shipment_ids
        shipment._omni_void()
        client = shipment.account_id._omni_client()
        self.env["omni.carrier.call"]._omni_log_before_call(shipment, "cancel")
        client.cancel(shipment.parcel_ids.mapped("tracking_number"))  # answer "lost"
        self.perform_jobs()
        self.assertEqual(shipment.state, "voided")
        # a cancel DHL refuses for a shipment it knows leaves it done, with a visible error
        other = self.make_picking("dhl")
        self.validate(other)
        self.perform_jobs()
        second = other.omni_shipment_ids
        self.sim.state.shipments[second.tracking_ref]["cancelled"] = True  # e.g. manifested
        second._omni_void()
        self.perform_jobs()
        self.assertEqual(second.state, "done")
        self.assertIn("refused", second.error_message)
        self.assertTrue(other.activity_ids)

    def test_return_label(self):
        for code in ("dhl", "hermes"):
            picking = self.make_picking(code)
            self.validate(picking)
            self.perform_jobs()
            picking.print_return_label()
            self.perform_jobs()
            ret = picking.omni_shipment_ids.filtered(lambda s: s.kind == "return")
            picking.invalidate_recordset(["return_label_ids"])
            self.assertEqual(ret.state, "done")
            self.assertTrue(picking.return_label_ids)
            self.assertEqual(decode_pdf(picking.return_label_ids[0].raw), [ret.tracking_ref])
        with self.assertRaises(UserError):
            self.make_picking("dpd")._omni_request_return()

    def test_parcel_shop_selector_and_delivery(self):
        for code in ("dhl", "dpd", "hermes"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
            order.set_delivery_line(self.carriers[code], 4.5)
            result = order._get_pickup_locations()
            points = result["pickup_locations"]
            self.assertEqual(len(points), 3)
            self.assertTrue(points[0]["opening_hours"])
            self.assertIn("distance", points[0])
            picking = self.make_picking(code, pickup=points[0], qty=1)
            self.assertIn(points[0]["name"], picking.sale_id.omni_pickup_point_name)
            self.validate(picking)
            self.perform_jobs()
            shipment = picking.omni_shipment_ids
            self.assertEqual(shipment.state, "done", shipment.error_message)
            self.assertEqual(shipment.pickup_point_name, points[0]["name"])
            self.assertEqual(self.sim.state.shipments[shipment.tracking_ref]["shop"], True)

    def test_secrets_restricted(self):
        user = self.env["res.users"].create(
            {
                "name": "Stock",
                "login": "stock_carrier",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("stock.group_stock_user").id,
                            self.env.ref("omni_order.group_omni_user").id,
                        ],
                    )
                ],
            }
        )
        account = self.accounts["dhl"].with_user(user)
        self.assertEqual(account.name, "DHL sim")
        with self.assertRaises(AccessError):
            account.read(["password"])

    def test_dhl_reconcile_downloads_the_label_again(self):
        """After a person reconciled a timed-out DHL create, a job fetches the label of the
        shipment number from DHL (``get_documents``); DPD offers no such call."""
        picking = self.make_picking("dhl", partner=self.customer.copy({"name": "Ida SIM_TIMEOUT"}))
        self.validate(picking)
        self.run_timed_out_job()
        shipment = picking.omni_shipment_ids
        self.assertEqual(shipment.state, "unknown")
        self.assertFalse(shipment.label_attachment_ids)
        number = next(
            n for n, s in self.sim.state.shipments.items() if shipment.name in (s["ref"] or "")
        )
        self.sim.reset_calls()
        wizard = self.env["omni.carrier.shipment.reconcile"].create(
            {"shipment_id": shipment.id, "tracking_numbers": number}
        )
        wizard.action_confirm_created()
        self.assertEqual(shipment.state, "done")
        self.assertFalse(self.sim.calls, "no carrier call in the user's transaction")
        self.assertEqual(len(self.pending_jobs()), 1)
        self.perform_jobs()
        self.assertEqual([c.op for c in self.sim.calls if c.op in ("create", "get")], ["get"])
        labels = shipment.label_attachment_ids
        self.assertEqual(len(labels), 1)
        self.assertEqual(labels.res_id, picking.id)
        self.assertEqual(sum((decode_pdf(a.raw) for a in labels), []), [number])
        self.assertIn(labels, picking.message_ids.attachment_ids)
        # bulk printing now finds the label; a replayed job does not fetch it twice
        self.assertTrue(picking.action_omni_print_labels().get("url"))
        self.sim.reset_calls()
        shipment._omni_job_fetch_documents()
        self.assertFalse(self.sim.calls)
        self.assertEqual(shipment.label_attachment_ids, labels)
        # still one shipment, one create at the carrier
        self.assertEqual(len(picking.omni_shipment_ids), 1)
        self.assertEqual(
            [n for n, s in self.sim.state.shipments.items() if shipment.name in (s["ref"] or "")],
            [number],
        )

    def test_dpd_reconcile_points_to_the_portal(self):
        picking = self.make_picking("dpd", partner=self.customer.copy({"name": "Ida SIM_TIMEOUT"}))
        self.validate(picking)
        self.run_timed_out_job()
        shipment = picking.omni_shipment_ids
        wizard = self.env["omni.carrier.shipment.reconcile"].create(
            {"shipment_id": shipment.id, "tracking_numbers": "01234567890123"}
        )
        wizard.action_confirm_created()
        self.assertEqual(shipment.state, "done")
        self.assertFalse(self.pending_jobs(), "DPD cannot re-issue a label")
        self.assertTrue(
            [m for m in picking.message_ids if "print its label from the carrier portal" in m.body]
        )
