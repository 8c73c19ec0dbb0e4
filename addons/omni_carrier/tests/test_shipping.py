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

    def test_timeout_then_reconcile_no_second_label(self):
        for code in ("dhl", "hermes"):
            picking = self.make_picking(
                code, partner=self.customer.copy({"name": "Max SIM_TIMEOUT"})
            )
            self.validate(picking)
            self.sim.reset_calls()
            # not assertRaises: it would roll back to a savepoint, like a new job transaction
            # would not (the call log is written on its own cursor before the call)
            retried = False
            try:
                self.perform_jobs()
            except RetryableJobError:
                retried = True
            self.assertTrue(retried, "the timeout must leave the job to retry")
            shipment = picking.omni_shipment_ids
            self.assertEqual(shipment.state, "queued")
            self.assertEqual(len(self.sim.calls_for(code, "create")), 1)
            shipment._omni_job_send()  # the retry reconciles instead of creating again
            self.assertEqual(shipment.state, "done")
            self.assertEqual(
                len(self.sim.calls_for(code, "create")), 1, "the label was bought once"
            )
            self.assertEqual(len(shipment.parcel_ids), 1)

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
        picking.action_omni_relabel()
        self.perform_jobs()
        self.assertEqual(old.state, "voided")
        self.assertEqual(old.parcel_ids.status, "cancelled")
        new = picking.omni_shipment_ids - old
        self.assertEqual(new.state, "done")
        self.assertEqual(old.replaced_by_id, new)
        self.assertEqual(picking.carrier_tracking_ref, new.tracking_ref)
        self.assertEqual(self.sim.calls_for("dhl", "cancel")[-1].status, 200)

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
