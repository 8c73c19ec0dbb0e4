from odoo.tests import tagged

from .common import OmniNetworkCommon


@tagged("post_install", "-at_install")
class TestReroute(OmniNetworkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._omni_stock(cls.product_a, cls.wh_muc, 1)
        cls._omni_stock(cls.product_a, cls.wh_dc, 3)

    def _confirm(self):
        order = self._omni_create_order([(self.product_a, 1)], partner=self.customer_muc)
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_id.warehouse_id, self.wh_muc)
        return order, picking

    def test_not_found_blocks_and_reroutes(self):
        order, picking = self._confirm()
        wizard = self.env["stock.picking.omni.reject"].create(
            {
                "picking_ids": picking.ids,
                "reason_id": self.env.ref("omni_order.reject_reason_not_found").id,
            }
        )
        wizard.action_reject()
        self.assertEqual(picking.state, "cancel")
        new = order.picking_ids.filtered(lambda p: p.state != "cancel")
        self.assertEqual(new.picking_type_id.warehouse_id, self.wh_dc)
        self.assertEqual(new.move_ids.product_uom_qty, 1)
        self.assertEqual(order.order_line.qty_to_deliver, 1)
        self.assertIn(self.node_muc, order.omni_excluded_node_ids)
        self.assertEqual(
            order.omni_decision_ids.sorted("id").mapped("kind"), ["initial", "reroute"]
        )
        self.assertIn("gave back", order.omni_decision_ids.sorted("id")[-1].log)
        # the unit is blocked: the next order does not go to München
        block = self.env["omni.stock.block"].search([("node_id", "=", self.node_muc.id)])
        self.assertEqual(block.quantity, 1)
        other, _picking = self._confirm_expecting(self.wh_dc)
        # a count clears the block
        quant = self.env["stock.quant"]._gather(self.product_a, self.wh_muc.lot_stock_id)
        quant.with_context(inventory_mode=True).write({"inventory_quantity": 1})
        quant.action_apply_inventory()
        self.assertFalse(block.active)
        self.assertTrue(other)

    def _confirm_expecting(self, warehouse):
        order = self._omni_create_order([(self.product_a, 1)], partner=self.customer_muc)
        order.action_confirm()
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, warehouse)
        return order, order.picking_ids

    def test_damaged_scraps(self):
        order, picking = self._confirm()
        picking._omni_reject(self.env.ref("omni_order.reject_reason_damaged"))
        scrap = self.env["stock.scrap"].search([("origin", "=", picking.name)])
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self.product_a.with_context(warehouse_id=self.wh_muc.id).qty_available, 0)
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.state != "cancel").picking_type_id.warehouse_id,
            self.wh_dc,
        )

    def test_late_picking_is_rerouted(self):
        self.node_muc.start_limit_hours = 2
        order, picking = self._confirm()
        self.env.cr.execute(
            "UPDATE stock_picking SET create_date = now() - interval '3 hours' WHERE id = %s",
            [picking.id],
        )
        picking.invalidate_recordset(["create_date"])
        late = self.env["stock.picking"]._cron_omni_reroute_late()
        self.assertIn(picking, late)
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.state != "cancel").picking_type_id.warehouse_id,
            self.wh_dc,
        )
        # a second run changes nothing
        state = self._omni_cron_state(order)
        self.assertFalse(self.env["stock.picking"]._cron_omni_reroute_late())
        self.assertEqual(self._omni_cron_state(order), state)

    def _omni_cron_state(self, order):
        self.env.flush_all()
        return (
            [(p.id, p.state, p.picking_type_id.id) for p in order.picking_ids.sorted("id")],
            order.omni_decision_ids.ids,
            [(a.id, a.state) for a in order.omni_assignment_ids],
            self.env["omni.stock.block"].search_count([]),
            self.env["mail.message"].search_count([("model", "=", "sale.order")]),
        )

    def test_late_cron_is_batched(self):
        self.node_muc.start_limit_hours = 2
        self._omni_stock(self.product_a, self.wh_muc, 2)
        pickings = self.env["stock.picking"]
        for _i in range(3):
            pickings |= self._confirm()[1]
        self.env.cr.execute(
            "UPDATE stock_picking SET create_date = now() - interval '3 hours' WHERE id = ANY(%s)",
            [pickings.ids],
        )
        pickings.invalidate_recordset(["create_date"])
        Picking = self.env["stock.picking"]
        first = Picking._cron_omni_reroute_late(batch_size=2)
        self.assertEqual(first, pickings[:2])
        second = Picking._cron_omni_reroute_late(batch_size=2)
        self.assertEqual(second, pickings[2:])
        self.assertFalse(Picking._cron_omni_reroute_late(batch_size=2))
        self.assertEqual(set(pickings.mapped("state")), {"cancel"})

    def test_reroute_with_nowhere_left_is_held(self):
        self.env["stock.quant"]._gather(self.product_a, self.wh_dc.lot_stock_id).sudo().unlink()
        order, picking = self._confirm()
        picking._omni_reject(self.env.ref("omni_order.reject_reason_no_capacity"))
        self.assertEqual(order.omni_sourcing_state, "held")
        self.assertTrue(order.omni_sourcing_message)
        # stock arrives at the DC: Re-source recovers the order
        self._omni_stock(self.product_a, self.wh_dc, 1)
        order.action_omni_resource()
        self.assertEqual(order.omni_sourcing_state, "sourced")
        self.assertEqual(
            order.picking_ids.filtered(lambda p: p.state != "cancel").picking_type_id.warehouse_id,
            self.wh_dc,
        )
