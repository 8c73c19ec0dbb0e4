import json

from odoo.fields import Command

from odoo.addons.sale.tests.common import SaleCommon


class OmniOrderCommon(SaleCommon):
    """Base for omni_order tests: a company, a customer, storable products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.product_a = cls._omni_create_product("Omni Shirt", "OMNI-A")
        cls.product_b = cls._omni_create_product("Omni Jacket", "OMNI-B")

    @classmethod
    def _omni_create_product(cls, name, code, price=20.0, **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "list_price": price,
                **vals,
            }
        )

    @classmethod
    def _omni_create_order(cls, lines, partner=None, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.partner).id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            }
        )


class OmniNetworkCommon(OmniOrderCommon):
    """A small network: DC Hamburg (the company's warehouse), stores München, Köln, Berlin,
    a rule set, and customers with and without coordinates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.de = env.ref("base.de")
        cls.wh_dc = cls.warehouse
        cls.wh_muc = env["stock.warehouse"].create({"name": "Store München", "code": "TMUC"})
        cls.wh_cgn = env["stock.warehouse"].create({"name": "Store Köln", "code": "TCGN"})
        cls.wh_ber = env["stock.warehouse"].create({"name": "Store Berlin", "code": "TBER"})
        Node = env["omni.fulfilment.node"]
        cls.node_dc = Node.create(
            {
                "name": "DC Hamburg",
                "kind": "dc",
                "warehouse_id": cls.wh_dc.id,
                "latitude": 53.5511,
                "longitude": 9.9937,
                "cost_per_shipment": 4.9,
            }
        )
        store = {"kind": "store", "pickup_point": True, "reservations": True}
        cls.node_muc = Node.create(
            dict(
                store,
                name="München",
                warehouse_id=cls.wh_muc.id,
                latitude=48.1374,
                longitude=11.5755,
                cost_per_shipment=6.5,
            )
        )
        cls.node_cgn = Node.create(
            dict(
                store,
                name="Köln",
                warehouse_id=cls.wh_cgn.id,
                latitude=50.9375,
                longitude=6.9603,
                cost_per_shipment=6.5,
            )
        )
        cls.node_ber = Node.create(
            dict(
                store,
                name="Berlin",
                warehouse_id=cls.wh_ber.id,
                latitude=52.52,
                longitude=13.405,
                cost_per_shipment=6.5,
            )
        )
        cls.ruleset = env["omni.sourcing.ruleset"].create(
            {
                "name": "Test rules",
                "rule_ids": [
                    Command.create({"name": "Pickup", "sequence": 5, "mode": "collect"}),
                    Command.create({"name": "Reserve", "sequence": 6, "mode": "reserve"}),
                    Command.create(
                        {
                            "name": "Germany",
                            "sequence": 10,
                            "country_ids": [Command.set(cls.de.ids)],
                            "max_shipments": 3,
                        }
                    ),
                ],
            }
        )
        cls.ruleset.action_activate()
        cls.customer_muc = env["res.partner"].create(
            {
                "name": "Anna Huber",
                "email": "anna@example.com",
                "zip": "80331",
                "city": "München",
                "country_id": cls.de.id,
                "partner_latitude": 48.1351,
                "partner_longitude": 11.582,
            }
        )
        cls.customer_cgn = env["res.partner"].create(
            {
                "name": "Lena Schmitz",
                "email": "lena@example.com",
                "zip": "50667",
                "country_id": cls.de.id,
                "partner_latitude": 50.9413,
                "partner_longitude": 6.9583,
            }
        )
        cls.product_c = cls._omni_create_product("Omni Blanket", "OMNI-C")
        cls.product_d = cls._omni_create_product("Omni Record Player", "OMNI-D", price=150.0)

    @classmethod
    def _omni_dropship_product(cls, vendor_name, name, code, qty):
        """A product whose vendor is a drop-ship supplier node holding ``qty`` of it.

        :return: (product, vendor partner)
        """
        vendor = cls.env["res.partner"].create({"name": vendor_name})
        supplier = cls.env["omni.fulfilment.node"].create(
            {"name": vendor_name, "kind": "supplier", "partner_id": vendor.id}
        )
        product = cls._omni_create_product(
            name, code, seller_ids=[Command.create({"partner_id": vendor.id})]
        )
        cls.env["omni.supplier.stock"].create(
            {"node_id": supplier.id, "product_id": product.id, "quantity": qty}
        )
        return product, vendor

    @classmethod
    def _omni_stock(cls, product, warehouse, qty):
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)

    def _omni_check_no_overreservation(self, env=None):
        env = env or self.env
        env.flush_all()
        env.cr.execute(
            """
            SELECT product_id, location_id, SUM(quantity), SUM(reserved_quantity)
              FROM stock_quant GROUP BY product_id, location_id
            HAVING SUM(reserved_quantity) > SUM(quantity) AND SUM(reserved_quantity) > 0
            """
        )
        self.assertEqual(env.cr.fetchall(), [], "more reserved than on hand")


class OmniIntakeCommon(OmniOrderCommon):
    """A web shop channel with an API key, a B2B customer with a GLN, products with EANs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env["crm.team"].create({"name": "Intake Shop"})
        cls.channel.sudo().omni_api_key = "intake-key-0123456789"
        cls.product_a.barcode = "4006381333931"
        cls.product_b.barcode = "4006381333948"
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Kaufhaus Nord GmbH",
                "omni_gln": "4012345000009",
                "ref": "K-100",
                "email": "einkauf@kaufhaus-nord.example",
                "street": "Mönckebergstraße 1",
                "zip": "20095",
                "city": "Hamburg",
                "country_id": cls.env.ref("base.de").id,
            }
        )

    @classmethod
    def _intake_order(cls, ref, lines=None, **vals):
        """One order of the JSON schema (readme/USAGE.md)."""
        return {
            "external_ref": ref,
            "partner": {"gln": "4012345000009"},
            "lines": lines or [{"ean": "4006381333931", "quantity": 2}],
            **vals,
        }

    @classmethod
    def _intake_body(cls, *orders):
        return json.dumps({"orders": list(orders)}).encode()

    def _receive(self, *orders, channel=None, source="rest"):
        return self.env["omni.intake.payload"]._omni_receive(
            channel or self.channel, self._intake_body(*orders), source, fmt="json"
        )
