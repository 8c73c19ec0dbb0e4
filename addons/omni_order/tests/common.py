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
    def _omni_create_product(cls, name, code, price=20.0):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "list_price": price,
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
