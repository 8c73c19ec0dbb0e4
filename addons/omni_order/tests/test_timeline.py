from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import OmniOrderCommon


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
        with self.assertQueryCount(__system__=3):
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
