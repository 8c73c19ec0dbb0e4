from odoo.tests import tagged

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestTimelineShipped(CarrierCase):
    def test_label_writes_shipped_once_not_the_validation(self):
        picking = self.make_picking("dhl")
        picking.button_validate()
        order = picking.sale_id
        self.assertTrue(order)
        # omni_order's validation hook leaves "shipped" to the label job
        self.assertNotIn("shipped", order.omni_event_ids.mapped("step"))
        self.perform_jobs()
        self.assertEqual(order.omni_event_ids.mapped("step").count("shipped"), 1)
        event = order.omni_event_ids.filtered(lambda e: e.step == "shipped")
        self.assertEqual(event.note, picking.carrier_tracking_ref)
