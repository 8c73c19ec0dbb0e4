from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import OmniStoreCommon


@tagged("post_install", "-at_install")
class TestEndlessAisleScreen(OmniStoreCommon):
    """The RPCs behind the POS's endless-aisle screen: availability from the network,
    the Omni order sourced over the network, the paid POS order, the receipt and timeline."""

    def setUp(self):
        super().setUp()
        # Köln (this POS) lacks the shoe; Berlin has 4
        self._omni_stock(self.shoe, self.wh_ber, 4)

    def test_search_shows_network_availability_per_node(self):
        found = self.config.omni_aisle_search("OMNI-SHO")
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["id"], self.shoe.id)
        self.assertEqual((found[0]["here"], found[0]["network"]), (0, 4))
        self.assertEqual(found[0]["nodes"], [{"node": "Berlin", "kind": "store", "available": 4}])
        # the same figure as the availability API of omni_order
        nodes = self.env["omni.fulfilment.node"].search([("company_id", "=", self.company.id)])
        api = nodes._omni_availability(self.shoe, self.config.crm_team_id or None)
        self.assertEqual(api[0]["available"], found[0]["here"] + found[0]["network"])
        self.assertEqual(self.config.omni_aisle_search(""), [])

    def test_home_delivery_sold_at_pos_shipped_from_network(self):
        session = self.open_new_session()
        result = self.config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 2}],
            "home",
            "aisle-home-1",
            self.cash.id,
        )
        order = self.env["sale.order"].search([("name", "=", result["order"])])
        self.assertRecordValues(
            order, [{"state": "sale", "omni_mode": "home", "partner_id": self.customer.id}]
        )
        # stock: the network's store ships to the customer; the POS order moves no goods
        delivery = order.picking_ids
        self.assertEqual(len(delivery), 1)
        self.assertRecordValues(
            delivery,
            [
                {
                    "location_id": self.wh_ber.lot_stock_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "partner_id": self.customer.id,
                    "state": "assigned",
                }
            ],
        )
        pos_order = session.order_ids
        self.assertRecordValues(
            pos_order,
            [
                {
                    "amount_total": 100.0,
                    "state": "paid",
                    "omni_flow": "aisle",
                    "omni_sale_order_id": order.id,
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertFalse(pos_order.picking_ids)
        self.assertEqual(pos_order.lines.sale_order_line_id, order.order_line)
        # the receipt names the online order and where it goes
        receipt = result["receipt"]
        self.assertEqual(receipt["omni_order"], order.name)
        self.assertIn("Hohe Straße 1", receipt["fulfilment"])
        self.assertEqual(receipt["total"], 100.0)
        self.assertEqual(receipt["payments"][0]["amount"], 100.0)
        # paid at the POS: nothing left to invoice on the sale order
        self.assertEqual(order.order_line.qty_invoiced, 2.0)
        self.assertEqual(order.invoice_status, "invoiced")
        steps = self._omni_steps(order)
        self.assertIn("confirmed", steps)
        self.assertIn("sourced", steps)
        self.assertLess(steps.index("sourced"), steps.index("paid"))
        # Berlin ships: its stock goes, Köln's stays untouched
        delivery.move_ids.write({"quantity": 2, "picked": True})
        delivery.button_validate()
        self.assertEqual(order.order_line.qty_delivered, 2.0)
        quants = self.env["stock.quant"]
        self.assertEqual(quants._get_available_quantity(self.shoe, self.wh_ber.lot_stock_id), 2)
        self.assertEqual(quants._get_available_quantity(self.shoe, self.wh_cgn.lot_stock_id), 0)
        # accounting: the session books the sale once, on the POS
        session.post_closing_cash_details(100.0)
        session.close_session_from_ui()
        self.assertEqual(session.state, "closed")
        revenue = session.move_id.line_ids.filtered(lambda ln: ln.account_id == self.sales_account)
        self.assertAlmostEqual(sum(revenue.mapped("credit")) - sum(revenue.mapped("debit")), 100.0)
        self.assertFalse(order.invoice_ids)
        # a retry of the same sale (network, double click) is the same sale
        again = self.config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 2}],
            "home",
            "aisle-home-1",
            self.cash.id,
        )
        self.assertEqual(again, result)
        self.assertEqual(
            self.env["sale.order"].search_count([("origin", "=", self.config.name)]), 1
        )

    def test_pickup_later_receipt_and_chatter(self):
        self.open_new_session()
        result = self.config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 1}],
            "collect",
            "aisle-collect-1",
            self.cash.id,
        )
        order = self.env["sale.order"].search([("name", "=", result["order"])])
        self.assertEqual(result["mode"], "collect")
        self.assertEqual(order.omni_pickup_node_id, self.node_cgn)
        self.assertIn(self.config.name, result["receipt"]["fulfilment"])
        self.assertIn("endless aisle", order.message_ids[0].body)

    def test_store_staff_sells_from_the_network(self):
        staff = new_test_user(
            self.env,
            "staff.koeln.aisle",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        staff.omni_store_warehouse_ids = self.wh_cgn
        session = self.open_new_session()
        config = self.config.with_user(staff)
        self.assertEqual(config.omni_aisle_search("Trail")[0]["network"], 4)
        result = config.omni_aisle_order(
            self.customer.id,
            [{"product_id": self.shoe.id, "qty": 1}],
            "home",
            "aisle-staff-1",
            self.cash.id,
        )
        self.assertEqual(session.order_ids.omni_sale_order_id.name, result["order"])
        # a Berlin colleague cannot sell on the Köln POS
        berlin = new_test_user(
            self.env,
            "staff.berlin.aisle",
            groups="omni_store_pos.group_store_staff",
            company_id=self.company.id,
        )
        berlin.omni_store_warehouse_ids = self.wh_ber
        with self.assertRaises(AccessError):
            self.config.with_user(berlin).omni_aisle_order(
                self.customer.id,
                [{"product_id": self.shoe.id, "qty": 1}],
                "home",
                "aisle-staff-2",
                self.cash.id,
            )

    def test_home_delivery_needs_an_address_and_stock(self):
        self.open_new_session()
        nowhere = self.env["res.partner"].create({"name": "No Address"})
        with self.assertRaisesRegex(UserError, "address"):
            self.config.omni_aisle_order(
                nowhere.id, [{"product_id": self.shoe.id, "qty": 1}], "home", "k-1", self.cash.id
            )
        with self.assertRaisesRegex(UserError, "network cannot deliver"):
            self.config.omni_aisle_order(
                self.customer.id,
                [{"product_id": self.jacket.id, "qty": 1}],
                "home",
                "k-2",
                self.cash.id,
            )
