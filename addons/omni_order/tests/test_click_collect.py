from odoo.tests import tagged

from .common import OmniNetworkCommon


@tagged("post_install", "-at_install")
class TestClickCollectTransfers(OmniNetworkCommon):
    """Transfers into the pickup store: chained into the pickup, re-routed on rejection."""

    def _collect_at_cologne(self, lines):
        order = self._omni_create_order(
            lines,
            partner=self.customer_cgn,
            omni_mode="collect",
            omni_pickup_node_id=self.node_cgn.id,
        )
        order.action_confirm()
        return order

    def _pickup_move(self, order, product):
        return order.order_line.move_ids.filtered(
            lambda m: m.product_id == product
            and m.picking_code == "outgoing"
            and m.state != "cancel"
        )

    def _transfer_from(self, order, warehouse):
        return order.omni_assignment_ids.filtered(
            lambda a: a.kind == "transfer"
            and a.state != "rejected"
            and a.node_id.warehouse_id == warehouse
        ).picking_id

    @staticmethod
    def _receive(picking):
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def test_received_unit_is_kept_for_the_order(self):
        # the record player only in Berlin, the blanket only at the DC: two transfers
        self._omni_stock(self.product_d, self.wh_ber, 1)
        self._omni_stock(self.product_c, self.wh_dc, 5)
        order = self._collect_at_cologne([(self.product_d, 1), (self.product_c, 1)])
        self.assertEqual(order.state, "sale")
        from_berlin = self._transfer_from(order, self.wh_ber)
        from_dc = self._transfer_from(order, self.wh_dc)
        self.assertEqual(len(from_berlin), 1)
        self.assertEqual(len(from_dc), 1)
        pickup_d = self._pickup_move(order, self.product_d)
        self.assertEqual(pickup_d.picking_type_id.warehouse_id, self.wh_cgn)
        self.assertEqual(from_berlin.move_ids.move_dest_ids, pickup_d)
        self.assertEqual(from_dc.move_ids.move_dest_ids, self._pickup_move(order, self.product_c))
        # Berlin's unit arrives in Köln; the DC's transfer is still under way
        self._receive(from_berlin)
        self.assertEqual(pickup_d.state, "assigned")
        self.assertEqual(pickup_d.quantity, 1)
        self.assertFalse(order.omni_pickup_ready)
        # another customer wants the same record player in Köln: the unit is not free
        other = self._collect_at_cologne([(self.product_d, 1)])
        self.assertEqual(other.omni_sourcing_state, "held")
        self.assertEqual(other.state, "draft")
        self.assertNotIn("has everything", other.omni_decision_ids.log)
        self.assertFalse(
            other.order_line.move_ids.filtered(lambda m: m.state == "assigned"),
        )
        self.assertEqual(pickup_d.quantity, 1)
        self._omni_check_no_overreservation()
        self._receive(from_dc)
        self.assertTrue(order.omni_pickup_ready)

    def test_rejected_transfer_is_rerouted(self):
        self._omni_stock(self.product_d, self.wh_ber, 1)
        self._omni_stock(self.product_d, self.wh_muc, 1)
        order = self._collect_at_cologne([(self.product_d, 1)])
        old = order.omni_assignment_ids.filtered(lambda a: a.kind == "transfer")
        self.assertEqual(len(old), 1)
        old_node, old_transfer = old.node_id, old.picking_id
        other_node = (self.node_ber | self.node_muc) - old_node
        pickup = self._pickup_move(order, self.product_d)
        self.assertEqual(old_transfer.move_ids.move_dest_ids, pickup)

        old_transfer._omni_reject(self.env.ref("omni_order.reject_reason_not_found"))

        self.assertEqual(old_transfer.state, "cancel")
        self.assertEqual(old.state, "rejected")
        self.assertIn(old_node, order.omni_excluded_node_ids)
        new = order.omni_assignment_ids.filtered(
            lambda a: a.kind == "transfer" and a.state != "rejected"
        )
        self.assertRecordValues(
            new,
            [{"node_id": other_node.id, "to_node_id": self.node_cgn.id, "quantity": 1.0}],
        )
        new_transfer = new.picking_id
        self.assertNotEqual(new_transfer, old_transfer)
        self.assertEqual(new_transfer.location_id, other_node.warehouse_id.lot_stock_id)
        self.assertEqual(new_transfer.location_dest_id, self.wh_cgn.lot_stock_id)
        self.assertEqual(new_transfer.state, "assigned")
        # the pickup at Köln is the same, now chained to the new transfer only
        self.assertEqual(self._pickup_move(order, self.product_d), pickup)
        self.assertEqual(pickup.move_orig_ids.filtered(lambda m: m.state != "cancel"),
                         new_transfer.move_ids)  # fmt: skip
        pickups = order.omni_assignment_ids.filtered(
            lambda a: a.kind == "pickup" and a.state != "rejected"
        )
        self.assertEqual(sum(pickups.mapped("quantity")), 1.0)
        self.assertEqual(
            order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
            ),
            pickup.picking_id,
        )
        # both decisions are logged
        decisions = order.omni_decision_ids.sorted("id")
        self.assertEqual(decisions.mapped("kind"), ["initial", "reroute"])
        self.assertIn(f"Chosen: {old_node.name}", decisions[0].log)
        self.assertIn("gave back", decisions[1].log)
        self.assertIn(f"Chosen: {other_node.name}", decisions[1].log)
        # the unit that was not found is blocked at the old node
        block = self.env["omni.stock.block"].search([("node_id", "=", old_node.id)])
        self.assertEqual(block.quantity, 1)
        self._receive(new_transfer)
        self.assertTrue(order.omni_pickup_ready)
        self._omni_check_no_overreservation()
