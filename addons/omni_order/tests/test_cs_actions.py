from dataclasses import replace
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, Form, new_test_user, tagged

from ..cs import planner
from .common import OmniNetworkCommon


@tagged("post_install", "-at_install")
class TestCsActions(OmniNetworkCommon):
    """Customer-service actions: preview (the plan) first, then the same plan applied to
    every downstream document, logged in chatter and timeline; refused when too late."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.de
        if not cls.env["account.journal"].search(
            [("company_id", "=", cls.env.company.id), ("type", "=", "sale")], limit=1
        ):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.env.company, install_demo=False
            )

    # --- helpers

    def _order(self, lines, partner=None, **vals):
        order = self._omni_create_order(lines, partner=partner or self.customer_muc, **vals)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _wizard(self, order, action, user=None, **vals):
        return (
            self.env["sale.order.omni.cs"]
            .with_user(user or self.env.user)
            .with_context(default_order_id=order.id, default_action=action)
            .create(vals)
        )

    def _cancel_wizard(self, order, quantities, user=None):
        wizard = self._wizard(order, "cancel", user=user)
        for line in wizard.line_ids:
            line.cancel_qty = quantities.get(line.sale_line_id.product_id, 0.0)
        return wizard

    def _effects(self, wizard, kind=None):
        return [e for e in wizard.plan["effects"] if kind is None or e["kind"] == kind]

    @staticmethod
    def _out(order):
        return order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

    def _ship(self, picking):
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    # --- cancel

    def test_partial_cancel_before_picking(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        self._omni_stock(self.product_b, self.wh_dc, 10)
        order = self._order([(self.product_a, 3), (self.product_b, 2)])
        line_a = order.order_line.filtered(lambda ln: ln.product_id == self.product_a)
        move_a = line_a.move_ids
        before = order.amount_total
        unit = line_a.price_total / 3
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        self.assertEqual(len(wizard.line_ids), 2)
        wizard.action_preview()
        # the preview: the move goes from 3 to 2, the line too, the money is stated
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [move_effect] = self._effects(wizard, planner.MOVE_REDUCE)
        self.assertEqual((move_effect["id"], move_effect["before"], move_effect["after"]),
                         (move_a.id, 3.0, 2.0))  # fmt: skip
        [line_effect] = self._effects(wizard, planner.LINE_REDUCE)
        self.assertEqual(line_effect["after"], 2.0)
        self.assertAlmostEqual(wizard.plan["total_after"], before - unit, places=2)
        self.assertIn(move_a.picking_id.name, wizard.preview_html)
        self.assertFalse(self._effects(wizard, planner.CREDIT_NOTE))
        # nothing is changed by the preview
        self.assertEqual(move_a.product_uom_qty, 3)

        messages = len(order.message_ids)
        wizard.action_apply()

        self.assertEqual(line_a.product_uom_qty, 2)
        self.assertEqual(move_a.product_uom_qty, 2)
        self.assertEqual(move_a.state, "assigned")
        self.assertEqual(len(line_a.move_ids.filtered(lambda m: m.state != "cancel")), 1)
        self.assertAlmostEqual(order.amount_total, before - unit, places=2)
        event = order.omni_event_ids.filtered(lambda e: e.step == "changed")
        self.assertEqual(len(event), 1)
        self.assertIn("Cancel", event.note)
        self.assertGreater(len(order.message_ids), messages)
        self.assertIn(move_a.picking_id.name, order.message_ids[0].body)

    def test_cancel_whole_line_cancels_its_move(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        self._omni_stock(self.product_b, self.wh_dc, 10)
        order = self._order([(self.product_a, 3), (self.product_b, 2)])
        move_b = order.order_line.filtered(lambda ln: ln.product_id == self.product_b).move_ids
        wizard = self._cancel_wizard(order, {self.product_b: 2})
        wizard.action_preview()
        self.assertEqual([e["id"] for e in self._effects(wizard, planner.MOVE_CANCEL)],
                         move_b.ids)  # fmt: skip
        wizard.action_apply()
        self.assertEqual(move_b.state, "cancel")
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._out(order).move_ids.filtered(lambda m: m.state != "cancel")
                         .product_id, self.product_a)  # fmt: skip

    def test_cancel_whole_order(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        picking = self._out(order)
        wizard = self._wizard(order, "cancel")
        wizard.action_cancel_all()
        self.assertEqual(wizard.line_ids.cancel_qty, 2)
        wizard.action_preview()
        self.assertTrue(self._effects(wizard, planner.ORDER_CANCEL))
        self.assertEqual(wizard.plan["total_after"], 0.0)
        wizard.action_apply()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(picking.state, "cancel")
        self.assertIn("cancelled", order.omni_event_ids.mapped("step"))

    def test_cancel_after_invoice_and_payment(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 3)])
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        line = order.order_line
        unit = line.price_total / 3

        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [credit] = self._effects(wizard, planner.CREDIT_NOTE)
        self.assertEqual(credit["before"], 1.0)
        self.assertAlmostEqual(wizard.plan["credit"], unit, places=2)
        self.assertAlmostEqual(wizard.plan["refund"], unit, places=2)
        wizard.action_apply()

        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_total, unit, places=2)
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertIn(refund.payment_state, ("paid", "in_payment"))
        payment = refund._get_reconciled_payments()
        self.assertEqual(payment.payment_type, "outbound")
        self.assertAlmostEqual(payment.amount, unit, places=2)
        self.assertEqual(line.qty_invoiced, 2)
        self.assertEqual(line.product_uom_qty, 2)
        self.assertEqual(line.move_ids.filtered(lambda m: m.state != "cancel").product_uom_qty, 2)

    def test_cancel_whole_order_after_payment(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        total = order.amount_total
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        wizard = self._wizard(order, "cancel")
        wizard.action_cancel_all()
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        self.assertAlmostEqual(wizard.plan["refund"], total, places=2)
        wizard.action_apply()
        self.assertEqual(order.state, "cancel")
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(refund.amount_total, total, places=2)
        self.assertIn(refund.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.order_line.qty_invoiced, 0)

    def test_locked_order_is_refused(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        order.action_lock()
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        self.assertIn("is locked", wizard.refusal)

    def test_cancel_after_invoice_unpaid_settles_invoice(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 3)])
        invoice = order._create_invoices()
        invoice.action_post()
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        self.assertFalse(wizard.plan["refund"])
        wizard.action_apply()
        refund = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.payment_state, "paid")
        self.assertAlmostEqual(invoice.amount_residual, order.amount_total, places=2)

    def test_cancel_drop_ship_line(self):
        sofa, vendor = self._omni_dropship_product("Möbelwerk", "Sofa", "OMNI-SOFA", 5)
        order = self._order([(sofa, 3)], omni_mode="dropship")
        purchase = self.env["purchase.order"].search([("partner_id", "=", vendor.id)])
        self.assertEqual(purchase.order_line.product_qty, 3)
        # draft purchase order: the line goes down
        wizard = self._cancel_wizard(order, {sofa: 1})
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [po_effect] = self._effects(wizard, planner.PO_LINE_REDUCE)
        self.assertEqual((po_effect["before"], po_effect["after"]), (3.0, 2.0))
        wizard.action_apply()
        self.assertEqual(purchase.order_line.product_qty, 2)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(purchase.state, "draft")
        # confirmed: the drop-ship move goes down and the purchase order says to tell the vendor
        purchase.button_confirm()
        dropship = order.picking_ids.filtered(lambda p: p.location_id.usage == "supplier")
        self.assertEqual(dropship.move_ids.product_uom_qty, 2)
        wizard = self._cancel_wizard(order, {sofa: 1})
        wizard.action_preview()
        self.assertTrue(self._effects(wizard, planner.PO_NOTIFY), wizard.plan)
        wizard.action_apply()
        self.assertEqual(dropship.move_ids.filtered(lambda m: m.state != "cancel")
                         .product_uom_qty, 1)  # fmt: skip
        self.assertEqual(purchase.order_line.product_qty, 1)
        self.assertIn("Tell the vendor", purchase.message_ids[0].body)
        # the rest: the order is cancelled
        wizard = self._cancel_wizard(order, {sofa: 1})
        wizard.action_preview()
        wizard.action_apply()
        self.assertEqual(order.state, "cancel")

    def test_cancel_draft_drop_ship_order_cancels_purchase(self):
        lamp, vendor = self._omni_dropship_product("Leuchtenhaus", "Lamp", "OMNI-LAMP", 5)
        order = self._order([(lamp, 1)], omni_mode="dropship")
        purchase = self.env["purchase.order"].search([("partner_id", "=", vendor.id)])
        wizard = self._cancel_wizard(order, {lamp: 1})
        wizard.action_preview()
        self.assertTrue(self._effects(wizard, planner.PO_CANCEL))
        wizard.action_apply()
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(order.state, "cancel")

    # --- refusals and atomicity

    def test_refused_after_shipping(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        self._ship(self._out(order))
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        self.assertFalse(wizard.can_apply)
        self.assertIn("only 0", wizard.refusal)
        self.assertIn("2.0 already delivered", wizard.refusal)
        with self.assertRaises(UserError):
            wizard.action_apply()
        other = self.customer_muc.copy({"name": "Anna Huber (office)", "type": "delivery",
                                        "parent_id": self.customer_muc.id})  # fmt: skip
        wizard = self._wizard(order, "address", partner_shipping_id=other.id)
        wizard.action_preview()
        self.assertIn("has already shipped", wizard.refusal)
        self.assertFalse(self._effects(wizard))
        with self.assertRaisesRegex(UserError, "has already shipped"):
            wizard.action_apply()
        self.assertEqual(order.partner_shipping_id, self.customer_muc)

    def test_refusal_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        self._ship(self._out(order))
        wizard = self._wizard(order, "address", partner_shipping_id=self.customer_cgn.id)
        wizard = wizard.with_context(lang="de_DE")
        wizard.action_preview()
        self.assertIn("ist bereits versandt", wizard.refusal)

    def test_refused_when_cancelled(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 2)])
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        order._action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            wizard.action_apply()

    def test_stale_preview_is_refused(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 3)])
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()
        order.order_line.move_ids.picked = True
        with self.assertRaises(UserError):
            wizard.action_apply()

    def test_atomic_rollback(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 3)])
        line = order.order_line
        move = line.move_ids
        events = len(order.omni_event_ids)
        wizard = self._cancel_wizard(order, {self.product_a: 1})
        wizard.action_preview()

        def broken(self, void_pickings, renew_pickings):
            raise ValueError("carrier is down")

        # assertRaises (not ...Regex) runs the call in a savepoint like a request transaction
        with self.assertRaises(ValueError) as caught:
            with patch.object(type(wizard), "_omni_apply_labels", broken):
                wizard.action_apply()
        self.assertEqual(str(caught.exception), "carrier is down")
        # the move was reduced before the labels step: that too is undone
        self.assertEqual(move.product_uom_qty, 3)
        self.assertEqual(move.state, "assigned")
        self.assertEqual(line.product_uom_qty, 3)
        self.assertEqual(len(order.omni_event_ids), events)
        # the same preview applies once the step works again
        wizard.action_apply()
        self.assertEqual(line.product_uom_qty, 2)

    # --- address

    def test_address_change_same_routing(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 1)])
        picking = self._out(order)
        office = self.env["res.partner"].create(
            {
                "name": "Anna Huber (office)",
                "type": "delivery",
                "parent_id": self.customer_muc.id,
                "zip": "80333",
                "country_id": self.de.id,
                "partner_latitude": 48.14,
                "partner_longitude": 11.57,
            }
        )
        wizard = self._wizard(order, "address", partner_shipping_id=office.id)
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        self.assertTrue(self._effects(wizard, planner.SHIP_TO))
        self.assertFalse(self._effects(wizard, planner.RESOURCE))
        wizard.action_apply()
        self.assertEqual(order.partner_shipping_id, office)
        self.assertEqual(picking.partner_id, office)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self._out(order), picking)

    def test_address_change_resources(self):
        self._omni_stock(self.product_c, self.wh_muc, 5)
        self._omni_stock(self.product_c, self.wh_cgn, 5)
        order = self._order([(self.product_c, 1)])
        old = self._out(order)
        self.assertEqual(old.picking_type_id.warehouse_id, self.wh_muc)
        wizard = self._wizard(order, "address", partner_shipping_id=self.customer_cgn.id)
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [resource] = self._effects(wizard, planner.RESOURCE)
        self.assertEqual(resource["id"], old.id)
        self.assertEqual(resource["data"]["nodes_to"], "Köln")
        self.assertIn("Köln", wizard.preview_html)
        wizard.action_apply()
        self.assertEqual(old.state, "cancel")
        new = self._out(order)
        self.assertEqual(new.picking_type_id.warehouse_id, self.wh_cgn)
        self.assertEqual(new.partner_id, self.customer_cgn)
        self.assertEqual(order.omni_decision_ids.sorted("id")[-1].kind, "manual")

    # --- mode

    def test_switch_home_to_collect(self):
        self._omni_stock(self.product_c, self.wh_cgn, 5)
        order = self._order([(self.product_c, 1)], partner=self.customer_cgn)
        old = self._out(order)
        self.assertEqual(order.omni_mode, "home")
        wizard = self._wizard(order, "mode", omni_pickup_node_id=self.node_cgn.id)
        self.assertEqual(wizard.omni_mode, "collect")
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        self.assertEqual([e["id"] for e in self._effects(wizard, planner.RESOURCE)], old.ids)
        wizard.action_apply()
        self.assertEqual(order.omni_mode, "collect")
        self.assertEqual(order.omni_pickup_node_id, self.node_cgn)
        self.assertEqual(old.state, "cancel")
        new = self._out(order)
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, old)
        self.assertEqual(new.picking_type_id.warehouse_id, self.wh_cgn)
        pickups = order.omni_assignment_ids.filtered(
            lambda a: a.kind == "pickup" and a.state != "rejected"
        )
        self.assertEqual(pickups.node_id, self.node_cgn)
        self.assertTrue(order.omni_pickup_ready)

    def _collect_from_berlin(self, qty):
        self._omni_stock(self.product_d, self.wh_ber, qty)
        order = self._order(
            [(self.product_d, qty)],
            partner=self.customer_cgn,
            omni_mode="collect",
            omni_pickup_node_id=self.node_cgn.id,
        )
        transfer = order.omni_assignment_ids.filtered(lambda a: a.kind == "transfer").picking_id
        self.assertEqual(transfer.location_id, self.wh_ber.lot_stock_id)
        return order, transfer

    def test_collect_cancel_reduces_transfer(self):
        order, transfer = self._collect_from_berlin(2)
        pickup = self._out(order)
        wizard = self._cancel_wizard(order, {self.product_d: 1})
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        reduced = {e["id"] for e in self._effects(wizard, planner.MOVE_REDUCE)}
        self.assertEqual(reduced, set((pickup.move_ids | transfer.move_ids).ids))
        wizard.action_apply()
        self.assertEqual(pickup.move_ids.product_uom_qty, 1)
        self.assertEqual(transfer.move_ids.product_uom_qty, 1)
        self.assertEqual(transfer.move_ids.move_dest_ids, pickup.move_ids)

    def test_switch_collect_to_home(self):
        order, transfer = self._collect_from_berlin(1)
        pickup = self._out(order)
        wizard = self._wizard(order, "mode")
        self.assertEqual(wizard.omni_mode, "home")
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        self.assertEqual(
            [e["id"] for e in self._effects(wizard, planner.TRANSFER_CANCEL)], transfer.ids
        )
        self.assertEqual([e["id"] for e in self._effects(wizard, planner.RESOURCE)], pickup.ids)
        wizard.action_apply()
        self.assertEqual(order.omni_mode, "home")
        self.assertEqual((transfer.state, pickup.state), ("cancel", "cancel"))
        new = self._out(order)
        self.assertEqual(new.picking_type_id.warehouse_id, self.wh_ber)
        self.assertEqual(new.move_ids.product_uom_qty, 1)
        self.assertEqual(new.state, "assigned")
        self._omni_check_no_overreservation()

    # --- resend

    def test_resend_last_notification(self):
        self._omni_stock(self.product_c, self.wh_cgn, 5)
        order = self._order(
            [(self.product_c, 1)],
            partner=self.customer_cgn,
            omni_mode="collect",
            omni_pickup_node_id=self.node_cgn.id,
        )
        self.assertTrue(order.omni_pickup_ready)
        Mail = self.env["mail.mail"]
        domain = [("model", "=", "sale.order"), ("res_id", "=", order.id)]
        mails = Mail.search_count(domain)
        self.assertGreaterEqual(mails, 1)
        wizard = self._wizard(order, "resend")
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        [resend] = self._effects(wizard, planner.RESEND)
        self.assertIn("ready for pickup", resend["name"])
        wizard.action_apply()
        self.assertEqual(Mail.search_count(domain), mails + 1)
        last = Mail.search(domain, order="id desc", limit=1)
        self.assertIn("ready for pickup", last.subject)
        self.assertEqual(last.recipient_ids, self.customer_cgn)
        self.assertIn("changed", order.omni_event_ids.mapped("step"))

    def test_resend_without_notification(self):
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 1)])
        wizard = self._wizard(order, "resend")
        wizard.action_preview()
        self.assertFalse(wizard.can_apply)
        self.assertIn("no customer notification", wizard.refusal)

    def test_order_form_buttons(self):
        arch = self.env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        for label in ("Cancel lines…", "Change address…", "Switch mode…", "Resend notification"):
            self.assertIn(label, arch)

    # --- access

    def test_access(self):
        salesman = new_test_user(
            self.env, "omni_cs_salesman", groups="sales_team.group_sale_salesman"
        )
        portal = new_test_user(self.env, "omni_cs_portal", groups="base.group_portal")
        self._omni_stock(self.product_a, self.wh_dc, 10)
        order = self._order([(self.product_a, 3)], user_id=salesman.id)
        with self.assertRaises(AccessError):
            self.env["sale.order.omni.cs"].with_user(portal).create(
                {"order_id": order.id, "action": "cancel"}
            )
        form = Form(
            self.env["sale.order.omni.cs"]
            .with_user(salesman)
            .with_context(default_order_id=order.id, default_action="cancel")
        )
        with form.line_ids.edit(0) as line:
            line.cancel_qty = 1
        wizard = form.save()
        wizard.action_preview()
        self.assertTrue(wizard.can_apply, wizard.refusal)
        wizard.action_apply()
        self.assertEqual(order.order_line.product_uom_qty, 2)
        # crediting an invoice is for users with invoicing rights
        order._create_invoices().action_post()
        wizard = self._cancel_wizard(order, {self.product_a: 1}, user=salesman)
        wizard.action_preview()
        self.assertFalse(wizard.can_apply)
        self.assertIn("needs invoicing rights", wizard.refusal)


@tagged("post_install", "-at_install")
class TestCsPlanner(BaseCase):
    """The planner alone: plain data in, plain plan out (no ORM)."""

    def _order(self, **vals):
        line = planner.LineInfo(
            id=1,
            name="Shirt",
            qty=3.0,
            unit_total=10.0,
            moves=(
                planner.MoveInfo(id=11, picking_id=101, qty=1.0, state="assigned"),
                planner.MoveInfo(id=12, picking_id=102, qty=2.0, state="assigned"),
            ),
        )
        pickings = (
            planner.PickingInfo(
                id=101, name="OUT/1", state="assigned", labels=(planner.LabelInfo(1, "L1"),)
            ),
            planner.PickingInfo(
                id=102, name="OUT/2", state="assigned", labels=(planner.LabelInfo(2, "L2"),)
            ),
        )
        values = dict(
            id=7, name="S007", state="sale", amount_total=30.0, lines=(line,), pickings=pickings
        )
        values.update(vals)
        return planner.OrderInfo(**values)

    def test_latest_transfer_first_and_labels(self):
        plan = planner.plan_cancel(self._order(), {1: 2.0})
        self.assertTrue(plan.ok)
        kinds = [(e["kind"], e["id"]) for e in plan.effects]
        self.assertIn(("move_cancel", 12), kinds)
        self.assertNotIn(("move_reduce", 11), kinds)
        self.assertIn(("label_void", 102), kinds)
        self.assertNotIn(("label_void", 101), kinds)
        self.assertEqual(plan.total_after, 10.0)

    def test_partial_refund_when_partly_paid(self):
        order = self._order(invoiced=30.0, paid=25.0)
        order = replace(order, lines=(replace(order.lines[0], qty_invoiced=3.0),))
        plan = planner.plan_cancel(order, {1: 1.0})
        # 10 credited; the customer still owes 20 and paid 25: 5 go back
        self.assertEqual((plan.credit, plan.refund), (10.0, 5.0))

    def test_refusals(self):
        started = self._order(
            pickings=(
                planner.PickingInfo(id=101, name="OUT/1", state="assigned", started=True),
                planner.PickingInfo(id=102, name="OUT/2", state="assigned", started=True),
            )
        )
        plan = planner.plan_cancel(started, {1: 1.0})
        self.assertEqual(plan.refusals[0][0], "qty_not_free")
        self.assertFalse(plan.effects)
        plan = planner.plan_cancel(self._order(state="cancel"), {1: 1.0})
        self.assertEqual(plan.refusals, [("order_cancelled", {"order": "S007"})])
        plan = planner.plan_cancel(self._order(), {1: 4.0})
        self.assertEqual(plan.refusals[0][0], "qty_too_high")
        plan = planner.plan_cancel(self._order(can_invoice=False, invoiced=30.0), {})
        self.assertEqual(plan.refusals[0][0], "nothing_to_cancel")
