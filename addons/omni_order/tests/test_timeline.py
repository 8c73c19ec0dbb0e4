from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import OmniNetworkCommon, OmniOrderCommon


@tagged("post_install", "-at_install")
class TestTimeline(OmniOrderCommon):
    def test_order_life_appends_events(self):
        order = self._omni_create_order([(self.product_a, 1)])
        self.assertEqual(order.omni_event_ids.mapped("step"), ["received"])
        self.assertEqual(order.omni_step, "received")
        order.action_confirm()
        self.assertEqual(order.omni_step, "confirmed")
        order._action_cancel()
        self.assertEqual(order.omni_step, "cancelled")
        self.assertEqual(
            sorted(order.omni_event_ids.mapped("step")), ["cancelled", "confirmed", "received"]
        )

    def test_record_is_batched_and_keeps_document(self):
        orders = self._omni_create_order([(self.product_a, 1)]) | self._omni_create_order(
            [(self.product_b, 2)]
        )
        orders.action_confirm()
        picking = orders[0].picking_ids[:1]
        # one more query than a bare INSERT: the look-up that keeps the step once per document
        with self.assertQueryCount(__system__=4):
            events = orders._omni_timeline("picked", note="picked by test", document=picking)
        self.assertEqual(len(events), 2)
        self.assertRecordValues(
            events,
            [
                {"step": "picked", "res_model": "stock.picking", "res_id": picking.id},
                {"step": "picked", "res_model": "stock.picking", "res_id": picking.id},
            ],
        )
        self.assertEqual(orders.mapped("omni_step"), ["picked", "picked"])

    def test_current_step_uses_latest_date_not_insert_order(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order._omni_timeline("shipped", date="2030-01-02 10:00:00")
        order._omni_timeline("picked", date="2030-01-01 10:00:00")
        order.invalidate_recordset(["omni_step", "omni_step_since"])
        self.assertEqual(order.omni_step, "shipped")

    def test_timeline_is_append_only(self):
        order = self._omni_create_order([(self.product_a, 1)])
        event = order.omni_event_ids
        salesman = new_test_user(self.env, "omni_sales", groups="sales_team.group_sale_salesman")
        with self.assertRaises(UserError):
            event.with_user(salesman).write({"step": "shipped"})
        with self.assertRaises(UserError):
            event.with_user(salesman).sudo(False).unlink()
        with self.assertRaises(ValueError):
            order._omni_timeline("teleported")

    def test_same_step_same_document_written_once(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        picking = order.picking_ids
        order._omni_timeline("shipped", document=picking)
        order._omni_timeline("shipped", document=picking)
        order._omni_timeline("cancelled")
        order._omni_timeline("cancelled")
        steps = order.omni_event_ids.mapped("step")
        self.assertEqual(steps.count("shipped"), 1)
        # without a document there is nothing to tell two occurrences apart
        self.assertEqual(steps.count("cancelled"), 2)

    def test_cancel_twice_writes_cancelled_once(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        order._action_cancel()
        order._action_cancel()
        self.assertEqual(order.omni_event_ids.mapped("step").count("cancelled"), 1)

    def test_duration_is_gap_to_next_event(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.omni_event_ids.sudo().unlink()
        order._omni_timeline("received", date=datetime(2030, 1, 1, 8, 0))
        order._omni_timeline("confirmed", date=datetime(2030, 1, 1, 10, 30))
        order._omni_timeline("shipped", date=datetime(2030, 1, 2, 10, 30))
        events = order.omni_event_ids.sorted("date")
        with freeze_time("2030-01-02 12:30:00"):
            events.invalidate_recordset(["duration", "left_at", "is_current"])
            self.assertRecordValues(
                events,
                [
                    {"step": "received", "duration": 2.5, "is_current": False},
                    {"step": "confirmed", "duration": 24.0, "is_current": False},
                    # the current step runs until now
                    {"step": "shipped", "duration": 2.0, "is_current": True},
                ],
            )
        self.assertEqual(events[0].left_at, datetime(2030, 1, 1, 10, 30))
        self.assertFalse(events[2].left_at)

    def test_customer_service_change_does_not_move_the_step(self):
        """A "changed" event is logged in the timeline but is no step: the order stays in
        its step, whose time runs on, in the order, its search, the analysis and dashboard."""
        order = self._omni_create_order([(self.product_a, 1)])
        order.omni_event_ids.sudo().unlink()
        order._omni_timeline("received", date=datetime(2030, 1, 1, 8, 0))
        order._omni_timeline("confirmed", date=datetime(2030, 1, 1, 10, 0))
        order._omni_timeline("changed", note="address", date=datetime(2030, 1, 1, 11, 0))
        order.invalidate_recordset(["omni_step", "omni_step_since"])
        self.assertEqual(order.omni_step, "confirmed")
        self.assertEqual(order.omni_step_since, datetime(2030, 1, 1, 10, 0))
        self.assertIn(order, self.env["sale.order"].search([("omni_step", "=", "confirmed")]))
        self.assertNotIn(order, self.env["sale.order"].search([("omni_step", "=", "changed")]))
        events = order.omni_event_ids.sorted("date")
        with freeze_time("2030-01-01 12:00:00"):
            events.invalidate_recordset(["duration", "left_at", "is_current"])
            self.assertRecordValues(
                events,
                [
                    {"step": "received", "duration": 2.0, "is_current": False},
                    {"step": "confirmed", "duration": 2.0, "is_current": True},
                    {"step": "changed", "duration": 0.0, "is_current": False},
                ],
            )
        report = self.env["omni.order.timeline.report"]
        for domain in ([("order_id", "=", order.id)], [("date", ">=", datetime(2030, 1, 1))]):
            rows = report.search([*domain, ("order_id", "=", order.id)], order="date")
            self.assertEqual(rows.mapped("step"), ["received", "confirmed"], domain)
            self.assertEqual(rows.mapped("is_current"), [False, True], domain)
        with freeze_time("2030-01-01 12:00:00"):
            data = report.with_company(order.company_id).omni_dashboard_data(period_days=30)
        shown = {row["step"] for row in data["steps"] + data["durations"]}
        self.assertIn("confirmed", shown)
        self.assertNotIn("changed", shown)


@tagged("post_install", "-at_install")
class TestTimelineTriggers(OmniOrderCommon):
    """Each step is written by the code that makes it happen, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_a, cls.warehouse.lot_stock_id, 20
        )
        cls.product_a.invoice_policy = "order"

    def _validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _steps(self, order):
        return order.omni_event_ids.sorted(lambda e: (e.date, e.id)).mapped("step")

    def test_one_step_delivery_writes_shipped_only(self):
        order = self._omni_create_order([(self.product_a, 2)])
        order.action_confirm()
        picking = order.picking_ids
        self._validate(picking)
        self.assertEqual(self._steps(order), ["received", "confirmed", "shipped"])
        event = order.omni_event_ids.filtered(lambda e: e.step == "shipped")
        self.assertEqual((event.res_model, event.res_id), ("stock.picking", picking.id))
        # the hook running again for the same picking (a retry) adds nothing
        picking._omni_timeline_done()
        self.assertEqual(self._steps(order).count("shipped"), 1)

    def test_multi_step_pick_pack_ship(self):
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        # Odoo 18 creates the pack and out pickings when the previous one is done
        pick = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pick_type_id
        )
        self.assertTrue(pick)
        self._validate(pick)
        self.assertEqual(order.omni_step, "picked")
        pack = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pack_type_id
        )
        self.assertTrue(pack)
        self._validate(pack)
        self.assertEqual(order.omni_step, "packed")
        out = order.picking_ids.filtered(lambda p: p.picking_type_id == self.warehouse.out_type_id)
        self.assertTrue(out)
        self._validate(out)
        self.assertEqual(
            self._steps(order), ["received", "confirmed", "picked", "packed", "shipped"]
        )
        pick._omni_timeline_done()
        pack._omni_timeline_done()
        self.assertEqual(len(order.omni_event_ids), 5)

    def test_return_picking_writes_returned(self):
        order = self._omni_create_order([(self.product_a, 2)])
        order.action_confirm()
        self._validate(order.picking_ids)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=order.picking_ids.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertNotIn("returned", self._steps(order))
        self._validate(returned)
        self.assertEqual(order.omni_step, "returned")
        event = order.omni_event_ids.filtered(lambda e: e.step == "returned")
        self.assertEqual(event.res_id, returned.id)

    def test_caller_that_writes_the_step_itself_skips_the_hook(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        picking = order.picking_ids.with_context(omni_timeline_skip=("shipped",))
        self._validate(picking)
        self.assertNotIn("shipped", self._steps(order))

    def test_invoice_post_and_payment(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertNotIn("invoiced", self._steps(order))
        invoice.action_post()
        self.assertEqual(order.omni_step, "invoiced")
        self.assertNotIn("paid", self._steps(order))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.omni_step, "paid")
        paid = order.omni_event_ids.filtered(lambda e: e.step == "paid")
        self.assertEqual((paid.res_model, paid.res_id), ("account.move", invoice.id))
        # the paid hook runs again when in_payment turns paid: still one event
        invoice._invoice_paid_hook()
        self.assertEqual(self._steps(order).count("paid"), 1)
        self.assertEqual(self._steps(order).count("invoiced"), 1)

    def test_credit_note_is_not_invoiced(self):
        order = self._omni_create_order([(self.product_a, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertEqual(self._steps(order).count("invoiced"), 1)


@tagged("post_install", "-at_install")
class TestTimelineRelease(OmniNetworkCommon):
    def test_released_once_per_picking_and_node(self):
        self._omni_stock(self.product_a, self.wh_muc, 5)
        self._omni_stock(self.product_c, self.wh_dc, 5)
        order = self._omni_create_order(
            [(self.product_a, 1), (self.product_c, 1)], partner=self.customer_muc
        )
        order.action_confirm()
        released = order.omni_event_ids.filtered(lambda e: e.step == "released")
        pickings = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(pickings), 2)
        self.assertEqual(sorted(released.mapped("res_id")), sorted(pickings.ids))
        self.assertTrue(any("München" in note for note in released.mapped("note")))
        # releasing again (as after a re-route) does not repeat the untouched pickings
        order._omni_after_release()
        self.assertEqual(len(order.omni_event_ids.filtered(lambda e: e.step == "released")), 2)
        # the store rejects its part: only the new picking is released
        store = pickings.filtered(lambda p: p.picking_type_id.warehouse_id == self.wh_muc)
        self._omni_stock(self.product_a, self.wh_cgn, 5)
        store._omni_reject(reason=None)
        released = order.omni_event_ids.filtered(lambda e: e.step == "released")
        self.assertEqual(len(released), 3)
        self.assertEqual(len(set(released.mapped("res_id"))), 3)
