from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.omni_carrier.tests.common import CarrierMixin
from odoo.addons.queue_job.job import Job

from .common import OmniStoreCommon


class OmniStoreLabelCommon(CarrierMixin, OmniStoreCommon):
    """Köln ships from store with an Omni DHL carrier talking to the local simulator; the
    label jobs are stored by queue_job and performed like the job runner does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the carrier call log writes through its own cursor: a savepoint in test mode
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.start_simulator()
        cls.company.partner_id.write(
            {"street": "Lagerweg 3", "zip": "10115", "city": "Berlin", "country_id": cls.de.id}
        )
        cls.dhl = cls.env["delivery.carrier"].create(
            {
                "name": "DHL store",
                "delivery_type": "omni_dhl",
                "product_id": cls.env["product.product"]
                .create({"name": "Ship DHL", "type": "service", "list_price": 4.5})
                .id,
                "omni_account_id": cls.make_account("dhl").id,
                "omni_product": "V01PAK",
            }
        )
        cls.jacket.weight = 1.0
        cls.shoe.weight = 1.0

    def setUp(self):
        super().setUp()
        self._omni_stock(self.jacket, self.wh_cgn, 5)
        self._omni_stock(self.shoe, self.wh_cgn, 5)

    def _ship_order(self, lines, carrier=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "omni_mode": "home",
                "order_line": [
                    (0, 0, {"product_id": p.id, "product_uom_qty": q, "tax_id": False})
                    for p, q in lines
                ],
            }
        )
        if carrier:
            order.set_delivery_line(self.dhl, 4.5)
        order.action_confirm()
        return order

    def pending_jobs(self):
        # the POS test user is no job queue manager; the job runner reads jobs as superuser
        return (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", "omni.carrier.shipment"),
                    ("state", "in", ("pending", "enqueued")),
                ]
            )
        )

    def perform_jobs(self):
        for stored in self.pending_jobs():
            job = Job.load(stored.env, stored.uuid)
            job.perform()
            job.set_done()
            job.store()

    def _pack(self, picking):
        for move in picking.move_ids:
            for _i in range(int(move.product_uom_qty)):
                self.assertTrue(
                    self.config.omni_task_scan(picking.id, move.product_id.barcode)["ok"]
                )
        return self.config.omni_task_done(picking.id)


@tagged("post_install", "-at_install")
class TestShipFromStoreLabel(OmniStoreLabelCommon):
    def test_print_label_after_packing(self):
        order = self._ship_order([(self.jacket, 1)])
        picking = order.picking_ids.filtered(lambda p: p.carrier_id)
        self.assertEqual(picking.picking_type_id, self.wh_cgn.out_type_id)
        self.assertEqual(picking.carrier_id, self.dhl)
        with self.assertRaisesRegex(UserError, "Pack"):
            self.config.omni_task_label(picking.id)
        packed = self._pack(picking)
        self.assertEqual(picking.state, "done")
        # packing recorded the carrier request (outbox row + job); no carrier call yet
        shipment = picking.omni_shipment_ids
        self.assertRecordValues(shipment, [{"kind": "outbound", "state": "queued"}])
        self.assertEqual(packed["label"]["shipment"], shipment.name)
        self.assertEqual(len(self.pending_jobs()), 1)
        listed = self.config.omni_store_tasks()["packed"]
        self.assertEqual([p["id"] for p in listed], picking.ids)
        self.assertEqual(listed[0]["label"], "queued")
        info = self.config.omni_task_label(picking.id)
        self.assertEqual(info["state"], "queued")
        self.assertFalse(info["url"])
        self.assertIn("waiting", info["message"])
        # the job buys the label; printing gives the PDF, and never buys a second label
        self.perform_jobs()
        self.assertEqual(shipment.state, "done")
        self.assertTrue(shipment.tracking_ref)
        info = self.config.omni_task_label(picking.id)
        self.assertEqual(info["state"], "done")
        self.assertEqual(info["tracking"], shipment.tracking_ref)
        attachment = self.env["ir.attachment"].browse(int(info["url"].split("/")[-1]))
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertEqual(attachment.raw, shipment.label_attachment_ids.raw)
        self.config.omni_task_label(picking.id)
        self.assertEqual(len(picking.omni_shipment_ids), 1)
        self.assertFalse(self.pending_jobs())
        self.assertIn("shipped", self._omni_steps(order))

    def test_store_staff_prints_label_and_reads_the_pdf(self):
        staff = new_test_user(
            self.env,
            "staff.koeln.labels",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        staff.omni_store_warehouse_ids = self.wh_cgn
        order = self._ship_order([(self.shoe, 1)])
        picking = order.picking_ids
        config = self.config.with_user(staff)
        self.assertTrue(config.omni_task_scan(picking.id, self.shoe.barcode)["ok"])
        config.omni_task_done(picking.id)
        self.perform_jobs()
        info = config.omni_task_label(picking.id)
        self.assertEqual(info["state"], "done")
        # the PDF the POS opens is readable by the staff member who printed it
        attachment = (
            self.env["ir.attachment"].with_user(staff).browse(int(info["url"].split("/")[-1]))
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        other = new_test_user(
            self.env,
            "staff.berlin.labels",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        other.omni_store_warehouse_ids = self.wh_ber
        with self.assertRaises(AccessError):
            attachment.with_user(other).read(["raw"])
        with self.assertRaises(AccessError):
            self.config.with_user(other).omni_task_label(picking.id)

    def test_print_label_explains_missing_carrier(self):
        order = self._ship_order([(self.shoe, 1)], carrier=False)
        picking = order.picking_ids
        self._pack(picking)
        info = self.config.omni_task_label(picking.id)
        self.assertEqual(info["state"], "no_carrier")
        self.assertFalse(info["url"])
        self.assertIn("no carrier connected to Omni", info["message"])
        self.assertFalse(picking.omni_shipment_ids)
        # Berlin's POS cannot print Köln's labels
        with self.assertRaises(UserError):
            self.config_ber.omni_task_label(picking.id)


@tagged("post_install", "-at_install")
class TestCounterReturnLabel(OmniStoreLabelCommon):
    def _delivered(self, lines):
        order = self._ship_order(lines)
        picking = order.picking_ids.filtered(lambda p: p.carrier_id)
        self._pack(picking)
        self.perform_jobs()
        return order, picking

    def test_return_label_at_the_counter(self):
        order, picking = self._delivered([(self.jacket, 1), (self.shoe, 1)])
        # the customer brings the shoe back in the store, and sends the jacket by parcel
        self.open_new_session()
        shoe_line = order.order_line.filtered(lambda line: line.product_id == self.shoe)
        reason = self.env["omni.return.reason"].search([], limit=1)
        self.config.omni_return(
            order.id,
            [{"line_id": shoe_line.id, "qty": 1, "reason_id": reason.id}],
            "ret-1",
            "stock",
            "pos",
            self.cash.id,
        )
        result = self.config.omni_return_label(order.id)
        self.assertEqual(result["order"], order.name)
        self.assertEqual(len(result["labels"]), 1)
        self.assertEqual(result["labels"][0]["state"], "queued")
        ret = picking.omni_shipment_ids.filtered(lambda s: s.kind == "return")
        self.assertRecordValues(ret, [{"state": "queued", "carrier_id": self.dhl.id}])
        self.assertIn("Return label", order.message_ids[0].body)
        # the job buys it; asking again prints the same label, no second one
        self.perform_jobs()
        again = self.config.omni_return_label(order.id)
        self.assertEqual(picking.omni_shipment_ids.filtered(lambda s: s.kind == "return"), ret)
        self.assertEqual(ret.state, "done")
        self.assertTrue(ret.tracking_ref)
        self.assertTrue(ret.label_attachment_ids)
        self.assertEqual(ret.parcel_ids.tracking_number, ret.tracking_ref)
        label = again["labels"][0]
        self.assertEqual((label["state"], label["kind"]), ("done", "return"))
        attachment = self.env["ir.attachment"].browse(int(label["url"].split("/")[-1]))
        self.assertEqual(attachment.raw, ret.label_attachment_ids.raw)

    def test_return_label_refused_without_parcel_or_carrier(self):
        self.open_new_session()
        order = self._ship_order([(self.jacket, 1)], carrier=False)
        with self.assertRaisesRegex(UserError, "no delivered parcel"):
            self.config.omni_return_label(order.id)
        picking = order.picking_ids
        self._pack(picking)
        with self.assertRaisesRegex(UserError, "not shipped with a carrier connected to Omni"):
            self.config.omni_return_label(order.id)
        self.assertFalse(picking.omni_shipment_ids)
