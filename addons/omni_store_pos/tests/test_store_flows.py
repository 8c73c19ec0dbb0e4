from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import OmniStoreCommon


@tagged("post_install", "-at_install")
class TestPickupHandover(OmniStoreCommon):
    def setUp(self):
        super().setUp()
        self._omni_stock(self.jacket, self.wh_cgn, 5)
        self._omni_stock(self.shoe, self.wh_cgn, 5)

    def _pickup(self, order):
        return order.picking_ids.filtered(lambda p: p.picking_type_id == self.wh_cgn.out_type_id)

    def test_pickups_listed_and_found(self):
        order = self._omni_order([(self.jacket, 1)])
        self.assertTrue(order.omni_pickup_ready)
        for query in ("", order.name, "Lena", "555 0101", "lena@example", order.omni_pickup_code):
            with self.subTest(query=query):
                found = self.config.omni_pickups(query)
                self.assertEqual([p["id"] for p in found], order.ids)
                self.assertEqual(found[0]["state"], "ready")
        self.assertEqual(self.config.omni_pickups("nobody-like-this"), [])
        # Berlin's POS does not see Köln's pickups
        self.assertEqual(self.config_ber.omni_pickups(""), [])

    def test_handover_paid_in_store(self):
        order = self._omni_order([(self.jacket, 1), (self.shoe, 2)])
        picking = self._pickup(order)
        pickings_before = self.env["stock.picking"].search_count([])
        session = self.open_new_session()
        lines = {str(line.id): line.product_uom_qty for line in order.order_line}
        result = self.config.omni_handover(order.id, lines, "key-1", self.cash.id)
        # the store's picking is the one validated; no second picking
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        self.assertRecordValues(
            picking.move_ids.sorted("product_id"),
            [
                {
                    "product_id": p.id,
                    "quantity": q,
                    "state": "done",
                    "location_id": self.wh_cgn.lot_stock_id.id,
                }
                for p, q in sorted([(self.jacket, 1), (self.shoe, 2)], key=lambda x: x[0].id)
            ],
        )
        pos_order = session.order_ids
        self.assertEqual(len(pos_order), 1)
        self.assertFalse(pos_order.picking_ids)
        self.assertEqual(pos_order.amount_total, 200.0)
        self.assertEqual(pos_order.state, "paid")
        self.assertEqual(result["receipt"]["total"], 200.0)
        # delivered once (the picking), invoiced through the POS order
        self.assertEqual(order.order_line.mapped("qty_delivered"), [1.0, 2.0])
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [1.0, 2.0])
        self.assertEqual(self._omni_steps(order)[-2:], ["paid", "picked_up"])
        # accounting: closing the session books the sale on the cash journal
        session.post_closing_cash_details(200.0)
        session.close_session_from_ui()
        self.assertEqual(session.state, "closed")
        revenue = session.move_id.line_ids.filtered(lambda ln: ln.account_id == self.sales_account)
        self.assertAlmostEqual(sum(revenue.mapped("credit")) - sum(revenue.mapped("debit")), 200.0)

    def test_handover_confirmed_twice_counts_once(self):
        order = self._omni_order([(self.jacket, 1)])
        session = self.open_new_session()
        line = {str(order.order_line.id): 1}
        first = self.config.omni_handover(order.id, line, "double-click", self.cash.id)
        again = self.config.omni_handover(order.id, line, "double-click", self.cash.id)
        self.assertEqual(first, again)
        with self.assertRaisesRegex(UserError, "already collected"):
            self.config.omni_handover(order.id, line, "other-terminal", self.cash.id)
        self.assertEqual(len(session.order_ids), 1)
        self.assertEqual(self._omni_steps(order).count("picked_up"), 1)
        self.assertEqual(order.omni_operation_ids.kind, "handover")

    def test_partial_handover_paid_online_refunds_refused(self):
        order = self._omni_order([(self.jacket, 1), (self.shoe, 2)])
        invoice = self._omni_pay_online(order)
        picking = self._pickup(order)
        jacket_line = order.order_line.filtered(lambda ln: ln.product_id == self.jacket)
        shoe_line = order.order_line - jacket_line
        result = self.config.omni_handover(
            order.id, {str(jacket_line.id): 1, str(shoe_line.id): 1}, "partial"
        )
        self.assertTrue(result["paid_online"])
        self.assertEqual(picking.state, "done")
        shoe_moves = picking.move_ids.filtered(lambda m: m.product_id == self.shoe)
        self.assertEqual(
            sum(shoe_moves.filtered(lambda m: m.state == "done").mapped("quantity")), 1
        )
        # the refused shoe goes back to sellable stock in Köln (no backorder)
        self.assertFalse(picking.backorder_ids)
        self.assertEqual(self.shoe.with_context(warehouse_id=self.wh_cgn.id).free_qty, 4)
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.amount_total, 50.0)
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertIn(refund.payment_state, ("paid", "in_payment"))
        self.assertEqual(shoe_line.qty_invoiced, 1.0)
        self.assertEqual(shoe_line.qty_delivered, 1.0)
        self.assertFalse(self.env["pos.order"].search([("omni_sale_order_id", "=", order.id)]))
        self.assertEqual(self._omni_steps(order)[-1], "picked_up")
        self.assertIn("refused", order.omni_event_ids.sorted("id")[-1].note)

    def test_identity_check_required(self):
        order = self._omni_order([(self.jacket, 1)], omni_id_check=True)
        self._omni_pay_online(order)
        line = {str(order.order_line.id): 1}
        with self.assertRaisesRegex(UserError, "identity"):
            self.config.omni_handover(order.id, line, "no-id")
        self.config.omni_handover(order.id, line, "with-id", id_checked=True)
        self.assertEqual(self._pickup(order).state, "done")

    def test_store_a_user_cannot_hand_over_store_b(self):
        order = self._omni_order([(self.jacket, 1)])
        self._omni_pay_online(order)
        berlin_staff = new_test_user(
            self.env,
            "staff.berlin",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        berlin_staff.omni_store_warehouse_ids = self.wh_ber
        line = {str(order.order_line.id): 1}
        # the Köln POS is not his: record rule
        with self.assertRaises(AccessError):
            self.config.with_user(berlin_staff).omni_handover(order.id, line, "b1")
        # from his own POS, the Köln order is refused
        with self.assertRaises(AccessError):
            self.config_ber.with_user(berlin_staff).omni_handover(order.id, line, "b2")
        self.assertEqual(self.config_ber.with_user(berlin_staff).omni_pickups(""), [])
        self.assertNotEqual(self._pickup(order).state, "done")
        cologne_staff = new_test_user(
            self.env,
            "staff.koeln",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        cologne_staff.omni_store_warehouse_ids = self.wh_cgn
        self.config.with_user(cologne_staff).omni_handover(order.id, line, "k1")
        self.assertEqual(self._pickup(order).state, "done")

    def test_no_show_flagged_then_cancelled_and_refunded(self):
        self.node_cgn.write({"omni_no_show_hours": 48, "omni_no_show_cancel_hours": 120})
        order = self._omni_order([(self.jacket, 2)])
        self._omni_pay_online(order)
        picking = self._pickup(order)
        ready = order._omni_ready_date()
        SaleOrder = self.env["sale.order"]
        with freeze_time(ready + timedelta(hours=10)):
            self.assertEqual(SaleOrder._cron_omni_pickup_no_show(), (SaleOrder, SaleOrder))
        with freeze_time(ready + timedelta(hours=50)):
            flagged, cancelled = SaleOrder._cron_omni_pickup_no_show()
        self.assertEqual((flagged, cancelled), (order, SaleOrder))
        self.assertTrue(order.omni_no_show)
        self.assertEqual(self.config.omni_pickups(order.name)[0]["state"], "no_show")
        mails = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertTrue(any("still waiting" in (m.subject or "") for m in mails))
        with freeze_time(ready + timedelta(hours=121)):
            flagged, cancelled = SaleOrder._cron_omni_pickup_no_show()
        self.assertEqual(cancelled, order)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(picking.state, "cancel")
        # restocked: both jackets free again in Köln
        self.assertEqual(self.jacket.with_context(warehouse_id=self.wh_cgn.id).free_qty, 5)
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.amount_total, 200.0)
        self.assertEqual(refund.state, "posted")
        self.assertIn("cancelled", self._omni_steps(order))
        self.assertEqual(self._omni_steps(order)[-1], "returned")
        mails = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertTrue(any("was cancelled" in (m.subject or "") for m in mails))


@tagged("post_install", "-at_install")
class TestReserveAtTill(OmniStoreCommon):
    def test_reservation_becomes_pos_sale_and_expired_is_not_offered(self):
        self._omni_stock(self.jacket, self.wh_cgn, 3)
        order = self._omni_order([(self.jacket, 1)], mode="reserve")
        self.assertTrue(order.omni_reserved_until)
        listed = self.config.omni_pickups("")
        self.assertEqual(listed[0]["state"], "reserved")
        self.assertEqual(
            listed[0]["reserved_until"], fields.Datetime.to_string(order.omni_reserved_until)
        )
        session = self.open_new_session()
        self.config.omni_handover(order.id, {str(order.order_line.id): 1}, "r1", self.cash.id)
        self.assertEqual(session.order_ids.omni_flow, "pickup")
        self.assertEqual(session.order_ids.amount_total, 100.0)
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        expired = self._omni_order([(self.jacket, 1)], mode="reserve")
        with freeze_time(expired.omni_reserved_until + timedelta(minutes=1)):
            self.assertEqual(self.config.omni_pickups(""), [])
            with self.assertRaisesRegex(UserError, "expired"):
                self.config.omni_handover(
                    expired.id, {str(expired.order_line.id): 1}, "r2", self.cash.id
                )


@tagged("post_install", "-at_install")
class TestInStoreReturn(OmniStoreCommon):
    def setUp(self):
        super().setUp()
        self._omni_stock(self.jacket, self.wh_cgn, 5)
        self.order = self._omni_order([(self.jacket, 2)], mode="home")
        self.invoice = self._omni_pay_online(self.order)
        delivery = self.order.picking_ids
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.line = self.order.order_line
        self.assertEqual(self.line.qty_delivered, 2)
        self.reason = self.env.ref("omni_store_pos.return_reason_damaged")

    def test_return_to_damaged_location_with_credit_note(self):
        found = self.config.omni_return_search("lena@example.com")["orders"]
        self.assertEqual(found[0]["lines"][0]["returnable"], 2)
        result = self.config.omni_return(
            self.order.id,
            [{"line_id": self.line.id, "qty": 1, "reason_id": self.reason.id}],
            "ret-1",
            destination="damaged",
        )
        damaged = self.wh_cgn.omni_damaged_location_id
        self.assertTrue(damaged)
        picking = self.env["stock.picking"].search([("name", "=", result["picking"])])
        self.assertRecordValues(
            picking.move_ids,
            [
                {
                    "product_id": self.jacket.id,
                    "quantity": 1,
                    "state": "done",
                    "location_dest_id": damaged.id,
                    "omni_return_reason_id": self.reason.id,
                }
            ],
        )
        self.assertEqual(self.line.qty_delivered, 1)
        # damaged goods are not sellable at the store
        self.assertEqual(self.jacket.with_context(warehouse_id=self.wh_cgn.id).qty_available, 3)
        refund = self.order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.amount_total, 100.0)
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        receivable = refund.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.credit, 100.0)
        self.assertIn(refund.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._omni_steps(self.order)[-1], "returned")
        # retry of the same confirmation: once
        again = self.config.omni_return(
            self.order.id,
            [{"line_id": self.line.id, "qty": 1, "reason_id": self.reason.id}],
            "ret-1",
            destination="damaged",
        )
        self.assertEqual(again, result)
        self.assertEqual(self.line.qty_delivered, 1)

    def test_return_capped_and_refunded_at_pos_to_sellable_stock(self):
        with self.assertRaisesRegex(UserError, "At most"):
            self.config.omni_return(
                self.order.id,
                [{"line_id": self.line.id, "qty": 3, "reason_id": self.reason.id}],
                "ret-too-many",
            )
        session = self.open_new_session()
        self.config.omni_return(
            self.order.id,
            [{"line_id": self.line.id, "qty": 2, "reason_id": self.reason.id}],
            "ret-pos",
            destination="stock",
            refund="pos",
            payment_method_id=self.cash.id,
        )
        self.assertEqual(self.jacket.with_context(warehouse_id=self.wh_cgn.id).qty_available, 5)
        self.assertEqual(self.line.qty_delivered, 0)
        refund = session.order_ids
        self.assertEqual(refund.amount_total, -200.0)
        self.assertFalse(refund.picking_ids)
        self.assertEqual(refund.payment_ids.amount, -200.0)
        with self.assertRaisesRegex(UserError, "At most"):
            self.config.omni_return(
                self.order.id,
                [{"line_id": self.line.id, "qty": 1, "reason_id": self.reason.id}],
                "ret-again",
            )


@tagged("post_install", "-at_install")
class TestStorePicking(OmniStoreCommon):
    def test_scan_pack_and_reject(self):
        self._omni_stock(self.jacket, self.wh_cgn, 2)
        self._omni_stock(self.shoe, self.wh_cgn, 1)
        self._omni_stock(self.shoe, self.wh_ber, 3)
        ship = self._omni_order([(self.jacket, 1)], mode="home")
        other = self._omni_order([(self.shoe, 1)], mode="home")
        tasks = self.config.omni_store_tasks()["tasks"]
        self.assertEqual([t["order"] for t in tasks], [ship.name, other.name])
        self.assertEqual(tasks[0]["kind"], "ship")
        picking_id = tasks[0]["id"]
        refused = self.config.omni_task_scan(picking_id, self.shoe.barcode)
        self.assertFalse(refused["ok"])
        self.assertTrue(self.config.omni_task_scan(picking_id, self.jacket.barcode)["ok"])
        too_many = self.config.omni_task_scan(picking_id, self.jacket.barcode)
        self.assertFalse(too_many["ok"])
        self.assertIn("already picked", too_many["message"])
        self.config.omni_task_done(picking_id)
        picking = self.env["stock.picking"].browse(picking_id)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 1)
        self.assertEqual(ship.order_line.qty_delivered, 1)
        self.assertIn("packed", self._omni_steps(ship))
        # cannot fulfil: re-routed to Berlin, gone from Köln's list
        reason = self.env["omni.reject.reason"].search([], limit=1)
        other_picking = other.picking_ids
        self.config.omni_task_reject(other_picking.id, reason.id)
        self.assertEqual(other_picking.state, "cancel")
        self.assertIn(self.node_cgn, other.omni_excluded_node_ids)
        rerouted = other.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(rerouted.picking_type_id.warehouse_id, self.wh_ber)
        self.assertEqual(self.config.omni_store_tasks()["tasks"], [])

    def test_pickup_preparation_packs_without_validating(self):
        self._omni_stock(self.jacket, self.wh_cgn, 2)
        order = self._omni_order([(self.jacket, 1)])
        task = self.config.omni_store_tasks()["tasks"][0]
        self.assertEqual(task["kind"], "pickup")
        self.config.omni_task_scan(task["id"], "OMNI-JKT")
        self.config.omni_task_done(task["id"])
        picking = self.env["stock.picking"].browse(task["id"])
        self.assertEqual(picking.state, "assigned")
        self.assertTrue(picking.omni_store_packed)
        self.assertEqual(self.config.omni_store_tasks()["tasks"], [])
        self.assertEqual(self.config.omni_pickups("")[0]["id"], order.id)


@tagged("post_install", "-at_install")
class TestEndlessAisle(OmniStoreCommon):
    def test_sell_for_pickup_later_sourced_from_network(self):
        self._omni_stock(self.shoe, self.wh_ber, 4)
        found = self.config.omni_aisle_search("Trail")
        self.assertEqual(found[0]["here"], 0)
        self.assertEqual(found[0]["network"], 4)
        session = self.open_new_session()
        result = self.config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 2}],
            "collect",
            "aisle-1",
            self.cash.id,
        )
        order = self.env["sale.order"].search([("name", "=", result["order"])])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.omni_pickup_node_id, self.node_cgn)
        transfer = order.omni_assignment_ids.filtered(lambda a: a.kind == "transfer").picking_id
        self.assertEqual(transfer.location_id, self.wh_ber.lot_stock_id)
        self.assertEqual(transfer.location_dest_id, self.wh_cgn.lot_stock_id)
        pos_order = session.order_ids
        self.assertEqual(pos_order.amount_total, 100.0)
        self.assertFalse(pos_order.picking_ids)
        self.assertEqual(order.order_line.qty_invoiced, 2.0)
        self.assertEqual(order.order_line.qty_delivered, 0.0)
        self.assertIn("paid", self._omni_steps(order))
        again = self.config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 2}],
            "collect",
            "aisle-1",
            self.cash.id,
        )
        self.assertEqual(again, result)
        self.assertEqual(len(session.order_ids), 1)
