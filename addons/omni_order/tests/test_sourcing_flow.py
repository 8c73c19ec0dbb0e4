from odoo.tests import tagged

from .common import OmniNetworkCommon


@tagged("post_install", "-at_install")
class TestSourcingFlow(OmniNetworkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._omni_stock(cls.product_a, cls.wh_muc, 5)
        cls._omni_stock(cls.product_b, cls.wh_muc, 5)
        cls._omni_stock(cls.product_c, cls.wh_dc, 10)
        cls._omni_stock(cls.product_d, cls.wh_ber, 1)

    def _out_pickings(self, order):
        return order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def test_ship_from_store(self):
        order = self._omni_create_order(
            [(self.product_a, 1), (self.product_b, 1)], partner=self.customer_muc
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.omni_sourcing_state, "sourced")
        pickings = self._out_pickings(order)
        self.assertEqual(pickings.picking_type_id.warehouse_id, self.wh_muc)
        self.assertEqual(pickings.state, "assigned")
        self.assertIn("Chosen: München", order.omni_decision_ids.log)
        self.assertIn("Candidate München", order.omni_decision_ids.log)
        self.assertIn("sourced", order.omni_event_ids.mapped("step"))
        self.assertIn("released", order.omni_event_ids.mapped("step"))
        self._omni_check_no_overreservation()

    def test_split_into_two_deliveries(self):
        order = self._omni_create_order(
            [(self.product_a, 1), (self.product_c, 1)], partner=self.customer_muc
        )
        order.action_confirm()
        pickings = self._out_pickings(order)
        self.assertEqual(len(pickings), 2)
        self.assertEqual(pickings.picking_type_id.warehouse_id, self.wh_muc | self.wh_dc)
        self.assertTrue(all(p.state == "assigned" for p in pickings))
        self.assertEqual(order.omni_decision_ids.shipment_count, 2)
        # delivered quantities flow back to the order through Odoo's own moves
        for picking in pickings:
            picking.move_ids.quantity = picking.move_ids.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(order.order_line.mapped("qty_delivered"), [1.0, 1.0])

    def test_click_and_collect_with_transfer(self):
        order = self._omni_create_order(
            [(self.product_d, 1)],
            partner=self.customer_cgn,
            omni_mode="collect",
            omni_pickup_node_id=self.node_cgn.id,
        )
        order.action_confirm()
        transfer = order.omni_assignment_ids.filtered(lambda a: a.kind == "transfer").picking_id
        self.assertEqual(transfer.location_id, self.wh_ber.lot_stock_id)
        self.assertEqual(transfer.location_dest_id, self.wh_cgn.lot_stock_id)
        self.assertEqual(transfer.state, "assigned")
        pickup = self._out_pickings(order)
        self.assertEqual(pickup.picking_type_id.warehouse_id, self.wh_cgn)
        self.assertFalse(order.omni_pickup_ready)
        transfer.move_ids.quantity = 1
        transfer.move_ids.picked = True
        transfer.button_validate()
        self.assertTrue(order.omni_pickup_ready)
        self.assertEqual(pickup.state, "assigned")
        self.assertEqual(order.omni_step, "ready_for_pickup")
        mail = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertTrue(mail, "the customer is told by e-mail")

    def test_click_and_collect_from_store_stock(self):
        self._omni_stock(self.product_a, self.wh_cgn, 2)
        order = self._omni_create_order(
            [(self.product_a, 1)],
            omni_mode="collect",
            omni_pickup_node_id=self.node_cgn.id,
            partner=self.customer_cgn,
        )
        order.action_confirm()
        self.assertTrue(order.omni_pickup_ready)
        self.assertFalse(order.omni_assignment_ids.filtered(lambda a: a.kind == "transfer"))

    def test_click_and_reserve_expires(self):
        order = self._omni_create_order(
            [(self.product_a, 1)],
            omni_mode="reserve",
            omni_pickup_node_id=self.node_muc.id,
            partner=self.customer_muc,
        )
        order.action_confirm()
        self.assertTrue(order.omni_reserved_until)
        self.assertEqual(self._out_pickings(order).state, "assigned")
        # not expired yet: nothing released
        self.assertFalse(self.env["sale.order"]._cron_omni_release_reservations() & order)
        order.omni_reserved_until = "2000-01-01 00:00:00"
        released = self.env["sale.order"]._cron_omni_release_reservations()
        self.assertIn(order, released)
        self.assertEqual(order.state, "cancel")
        quant = self.env["stock.quant"]._gather(self.product_a, self.wh_muc.lot_stock_id)
        self.assertEqual(sum(quant.mapped("reserved_quantity")), 0)
        # a second run changes nothing: no order, no second e-mail
        mails = self.env["mail.mail"].search_count([("res_id", "=", order.id)])
        messages = len(order.message_ids)
        self.assertFalse(self.env["sale.order"]._cron_omni_release_reservations())
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.env["mail.mail"].search_count([("res_id", "=", order.id)]), mails)
        self.assertEqual(len(order.message_ids), messages)

    def test_release_cron_is_batched(self):
        orders = self.env["sale.order"]
        for _i in range(3):
            order = self._omni_create_order(
                [(self.product_a, 1)],
                omni_mode="reserve",
                omni_pickup_node_id=self.node_muc.id,
                partner=self.customer_muc,
            )
            order.action_confirm()
            orders |= order
        orders.omni_reserved_until = "2000-01-01 00:00:00"
        Order = self.env["sale.order"]
        self.assertEqual(Order._cron_omni_release_reservations(batch_size=2), orders[:2])
        self.assertEqual(Order._cron_omni_release_reservations(batch_size=2), orders[2:])
        self.assertFalse(Order._cron_omni_release_reservations(batch_size=2))
        self.assertEqual(set(orders.mapped("state")), {"cancel"})

    def test_click_and_reserve_without_stock_is_held(self):
        order = self._omni_create_order(
            [(self.product_c, 1)],
            omni_mode="reserve",
            omni_pickup_node_id=self.node_muc.id,
            partner=self.customer_muc,
        )
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn("nothing can be reserved", order.omni_sourcing_message)

    def test_drop_ship(self):
        sofa, vendor = self._omni_dropship_product("Möbelwerk", "Sofa", "OMNI-SOFA", 3)
        order = self._omni_create_order(
            [(sofa, 1)], partner=self.customer_muc, omni_mode="dropship"
        )
        order.action_confirm()
        self.assertEqual(order.omni_sourcing_state, "dropship")
        purchase = self.env["purchase.order"].search([("partner_id", "=", vendor.id)])
        self.assertEqual(len(purchase), 1)
        purchase.button_confirm()
        dropship = order.picking_ids.filtered(lambda p: p.location_id.usage == "supplier")
        self.assertEqual(dropship.location_dest_id.usage, "customer")

    def test_bad_input_is_clear_and_recoverable(self):
        # more than the network has
        order = self._omni_create_order([(self.product_b, 99)], partner=self.customer_cgn)
        order.action_confirm()
        self.assertEqual((order.state, order.omni_sourcing_state), ("draft", "held"))
        self.assertIn("No plan with at most 3 shipments", order.omni_sourcing_message)
        # no stock anywhere (a product the network never had)
        unknown = self._omni_create_product("Omni Unknown", "OMNI-X")
        order.order_line.product_id = unknown
        order.order_line.product_uom_qty = 1
        order.action_omni_resource()
        self.assertEqual(order.state, "draft")
        self.assertIn("No stock anywhere", order.omni_sourcing_message)
        self.assertIn("Omni Unknown", order.omni_decision_ids.sorted("id")[-1].log)
        # recoverable: stock arrives, source again
        self._omni_stock(unknown, self.wh_dc, 1)
        order.action_omni_resource()
        self.assertEqual((order.state, order.omni_sourcing_state), ("sale", "sourced"))
        # rule set matches nothing (no country)
        nowhere = self.env["res.partner"].create({"name": "No address"})
        order = self._omni_create_order([(self.product_a, 1)], partner=nowhere)
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn("No rule", order.omni_sourcing_message)
        self.assertIn("No rule", order.omni_decision_ids.log)

    def test_customer_without_coordinates(self):
        bremen = self.env["res.partner"].create(
            {"name": "Noah", "zip": "28195", "country_id": self.de.id}
        )
        order = self._omni_create_order([(self.product_c, 1)], partner=bremen)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("postal zone 2", order.omni_decision_ids.log)
        nozip = self.env["res.partner"].create({"name": "Nozip", "country_id": self.de.id})
        order = self._omni_create_order([(self.product_c, 1)], partner=nozip)
        order.action_confirm()
        self.assertIn("distance is ignored", order.omni_decision_ids.log)

    def test_safety_stock_capacity_and_batch(self):
        web = self.env["crm.team"].create({"name": "Web"})
        self.env["omni.node.safety.stock"].create(
            {"node_id": self.node_muc.id, "team_id": web.id, "quantity": 5}
        )
        self._omni_stock(self.product_a, self.wh_dc, 1)
        order = self._omni_create_order(
            [(self.product_a, 1)], partner=self.customer_muc, team_id=web.id
        )
        order.action_confirm()
        # München's 5 units are all safety stock for the web shop: DC ships
        self.assertEqual(order.omni_assignment_ids.node_id, self.node_dc)
        # a batch of orders never shares the same unit
        self._omni_stock(self.product_d, self.wh_ber, 1)  # Berlin now has 2
        orders = self._omni_create_order([(self.product_d, 1)], partner=self.customer_cgn)
        for _i in range(2):
            orders |= self._omni_create_order([(self.product_d, 1)], partner=self.customer_cgn)
        orders.action_confirm()
        self.assertEqual(sorted(orders.mapped("state")), ["draft", "sale", "sale"])
        self._omni_check_no_overreservation()

    def _omni_source_queries(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        order._omni_source("initial")
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow(self):
        """Neither more lines (2 vs 12) nor more nodes (4 vs 13) cost more queries."""
        products = [self._omni_create_product(f"Bulk {i}", f"BULK-{i}") for i in range(12)]
        for product in products:
            self._omni_stock(product, self.wh_dc, 5)

        def orders():
            return (
                self._omni_create_order([(p, 1) for p in products[:2]], partner=self.customer_muc),
                self._omni_create_order([(p, 1) for p in products], partner=self.customer_muc),
            )

        small, big = orders()
        counts = [self._omni_source_queries(small), self._omni_source_queries(big)]
        # 9 more stores, each holding some of every order's products
        for i in range(9):
            warehouse = self.env["stock.warehouse"].create({"name": f"Q{i}", "code": f"Q{i}"})
            self.env["omni.fulfilment.node"].create(
                {
                    "name": f"Store Q{i}",
                    "kind": "store",
                    "warehouse_id": warehouse.id,
                    "latitude": 50.0 + i / 10,
                    "longitude": 8.0 + i / 10,
                    "cost_per_shipment": 6.5,
                    "pickup_point": True,
                }
            )
            for product in products[i % 2 :: 2]:
                self._omni_stock(product, warehouse, 1)
        self.assertEqual(self.env["omni.fulfilment.node"].search_count([]), 13)
        small, big = orders()
        counts += [self._omni_source_queries(small), self._omni_source_queries(big)]
        for order in (small, big):
            # same plan as before: the DC has everything, the new stores only parts
            self.assertEqual(order.omni_decision_ids.shipment_count, 1)
            self.assertIn("Chosen: DC Hamburg", order.omni_decision_ids.log)
            self.assertIn("10 of 10 nodes can serve part", order.omni_decision_ids.log)
        # the ORM writes one assignment row per line (batched create), reads stay fixed
        self.assertLessEqual(counts[1] - counts[0], 2, counts)
        self.assertLessEqual(counts[3] - counts[2], 2, counts)
        # more nodes: not one query more
        self.assertLessEqual(counts[2], counts[0], counts)
        self.assertLessEqual(counts[3], counts[1], counts)

    def test_network_stock_view(self):
        self.env.flush_all()
        rows = self.env["omni.network.stock"].search(
            [("product_id", "=", self.product_a.id), ("node_id", "=", self.node_muc.id)]
        )
        self.assertRecordValues(rows, [{"on_hand": 5.0, "reserved": 0.0, "available": 5.0}])
