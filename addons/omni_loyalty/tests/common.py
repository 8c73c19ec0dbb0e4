from datetime import date

from odoo import Command
from odoo.tests import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class OmniLoyaltyCommon(AccountTestInvoicingCommon):
    """Small, hand-countable fixtures: purchase receipts, returns, bills, invoices, payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.env.user.groups_id |= (
            cls.env.ref("omni_loyalty.omni_loyalty_group_manager")
            | cls.env.ref("purchase.group_purchase_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("stock.group_stock_manager")
        )
        cls.Scorecard = cls.env["omni.loyalty.scorecard"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.categ_x = cls.env["product.category"].create({"name": "Cat X"})
        cls.categ_y = cls.env["product.category"].create({"name": "Cat Y"})
        cls.brand = cls.env["product.tag"].create({"name": "BrandOne"})
        cls.item = cls._omni_product("Item X", cls.categ_x, cost=60.0, price=100.0)
        cls.item_y = cls._omni_product("Item Y", cls.categ_y, cost=10.0, price=100.0)
        cls.vendor = cls.env["res.partner"].create({"name": "Vendor V", "is_company": True})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Customer C", "is_company": True, "email": "c@example.com"}
        )
        # A, B, C (warn), D (block): created with every company
        cls.grades = cls.env["omni.loyalty.grade"].search(
            [("company_id", "=", cls.company.id)], order="min_score desc"
        )

    @classmethod
    def _omni_product(cls, name, categ, cost, price):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "categ_id": categ.id,
                "standard_price": cost,
                "list_price": price,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
            }
        )

    # --- purchase side ---

    @classmethod
    def _purchase(cls, qty, price, planned, approved, vendor=None):
        with freeze_time(approved):
            order = cls.env["purchase.order"].create(
                {
                    "partner_id": (vendor or cls.vendor).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.item.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "date_planned": planned,
                                "taxes_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            order.button_confirm()
        return order

    @classmethod
    def _receive(cls, order, qty, when):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        with freeze_time(when):
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking._action_done()
        return picking

    @classmethod
    def _return(cls, picking, qty, when):
        with freeze_time(when):
            wizard = (
                cls.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = qty
            action = wizard.action_create_returns()
            returned = cls.env["stock.picking"].browse(action["res_id"])
            returned.move_ids.quantity = qty
            returned.move_ids.picked = True
            returned._action_done()
        return returned

    @classmethod
    def _bill(cls, order, qty, price, when):
        line = order.order_line
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": order.partner_id.id,
                "invoice_date": when,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": qty,
                            "price_unit": price,
                            "purchase_line_id": line.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill

    # --- sale side ---

    @classmethod
    def _sale(cls, partner, qty, when, product=None, deliver=True):
        with freeze_time(when):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or cls.item).id,
                                "product_uom_qty": qty,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            if deliver:
                picking = order.picking_ids
                picking.move_ids.quantity = qty
                picking.move_ids.picked = True
                picking._action_done()
        return order

    @classmethod
    def _invoice(cls, partner, lines, when, due=None, move_type="out_invoice"):
        """``lines`` = [(product, qty, price)]."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": when,
                "invoice_date_due": due or when,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, when):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": when})._create_payments()

    def _card(self, partner, kind, month):
        return self.Scorecard.search(
            [
                ("partner_id", "=", partner.id),
                ("kind", "=", kind),
                ("period_date", "=", month),
                ("company_id", "=", self.company.id),
            ]
        )


MARCH = date(2024, 3, 1)
FEBRUARY = date(2024, 2, 1)


def create_done_delivery(env, partner):
    """A validated delivery of one unit to ``partner`` (what asks the customer for a rating)."""
    product = env["product.product"].create({"name": "P", "type": "consu"})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "partner_id": partner.id,
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": "P",
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.move_ids.write({"quantity": 1, "picked": True})
    picking._action_done()
    return picking
