from odoo.fields import Command

from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class OmniStoreCommon(TestPoSCommon):
    """Stores Köln and Berlin (each a node with a POS), a pickup rule set, a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the test user runs the back office (network, online orders) and the POS
        env.user.groups_id = [
            Command.link(env.ref(xmlid).id)
            for xmlid in (
                "omni_order.group_omni_manager",
                "sales_team.group_sale_manager",
                "stock.group_stock_manager",
                "point_of_sale.group_pos_manager",
            )
        ]
        cls.company = env.company
        cls.de = env.ref("base.de")
        Warehouse = env["stock.warehouse"]
        cls.wh_cgn = Warehouse.create({"name": "Store Köln", "code": "SCGN"})
        cls.wh_ber = Warehouse.create({"name": "Store Berlin", "code": "SBER"})
        Node = env["omni.fulfilment.node"]
        store = {"kind": "store", "pickup_point": True, "reservations": True}
        cls.node_cgn = Node.create(
            dict(store, name="Köln", warehouse_id=cls.wh_cgn.id, latitude=50.94, longitude=6.96)
        )
        cls.node_ber = Node.create(
            dict(store, name="Berlin", warehouse_id=cls.wh_ber.id, latitude=52.52, longitude=13.4)
        )
        env["omni.sourcing.ruleset"].create(
            {
                "name": "Store tests",
                "rule_ids": [
                    Command.create({"name": "Pickup", "sequence": 5, "mode": "collect"}),
                    Command.create({"name": "Reserve", "sequence": 6, "mode": "reserve"}),
                    Command.create({"name": "Home", "sequence": 10, "allow_store": True}),
                ],
            }
        ).action_activate()
        cls.config = cls.basic_config
        cls.config.picking_type_id = cls.wh_cgn.pos_type_id
        cls.config_ber = cls.config.copy({"name": "Berlin POS"})
        cls.config_ber.picking_type_id = cls.wh_ber.pos_type_id
        cls.cash = cls.config.payment_method_ids.filtered("is_cash_count")[:1]
        cls.customer = env["res.partner"].create(
            {
                "name": "Lena Schmitz",
                "email": "lena@example.com",
                "phone": "+49 221 555 0101",
                "street": "Hohe Straße 1",
                "city": "Köln",
                "zip": "50667",
                "country_id": cls.de.id,
                "partner_latitude": 50.9413,
                "partner_longitude": 6.9583,
            }
        )
        cls.jacket = cls._omni_product("Rain Jacket", "OMNI-JKT", "4006381333931", 100.0)
        cls.shoe = cls._omni_product("Trail Shoe", "OMNI-SHO", "4006381333948", 50.0)

    @classmethod
    def _omni_product(cls, name, code, barcode, price):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "barcode": barcode,
                "type": "consu",
                "is_storable": True,
                "list_price": price,
                "taxes_id": [Command.clear()],
                "categ_id": cls.categ_basic.id,
                "available_in_pos": True,
            }
        )

    @classmethod
    def _omni_stock(cls, product, warehouse, qty):
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)

    def _omni_order(self, lines, mode="collect", node=None, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "omni_mode": mode,
                "omni_pickup_node_id": (node or self.node_cgn).id
                if mode in ("collect", "reserve")
                else False,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "tax_id": False})
                    for p, q in lines
                ],
                **vals,
            }
        )
        order.action_confirm()
        return order

    def _omni_pay_online(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        return invoice

    def _omni_steps(self, order):
        return order.omni_event_ids.sorted("id").mapped("step")
