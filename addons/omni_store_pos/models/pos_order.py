from odoo import api, fields, models
from odoo.fields import Command

OMNI_FLOWS = [
    ("pickup", "Pickup handover"),
    ("return", "Return of an online order"),
    ("aisle", "Endless aisle"),
]


class PosOrder(models.Model):
    _inherit = "pos.order"

    omni_flow = fields.Selection(OMNI_FLOWS, string="Store Flow", readonly=True, copy=False)
    omni_sale_order_id = fields.Many2one("sale.order", string="Online Order", readonly=True)

    _sql_constraints = [
        ("omni_uuid_unique", "unique(uuid)", "A POS order with this uuid already exists."),
    ]

    @api.model
    def sync_from_ui(self, orders):
        # serialise concurrent synchronisations of the same orders before core looks them up
        self.env["omni.pos.sync.claim"]._claim([order.get("uuid") for order in orders])
        return super().sync_from_ui(orders)

    def _create_order_picking(self):
        """The store flows move goods with the store's own pickings: no second picking."""
        if self.omni_flow:
            return None
        return super()._create_order_picking()

    @api.model
    def _omni_create_paid(self, session, partner, lines, payment_method, flow, sale_order):
        """A paid POS order for ``lines`` [(sale line or None, product, qty)]; the price and
        taxes are the sale line's (or the product's). Negative quantities refund."""
        currency = session.currency_id
        vals, total, total_excl = [], 0.0, 0.0
        for sale_line, product, qty in lines:
            if sale_line:
                price = sale_line.price_unit * (1 - (sale_line.discount or 0.0) / 100.0)
                taxes = sale_line.tax_id
            else:
                price = product.lst_price
                taxes = product.taxes_id.filtered(lambda t: t.company_id == session.company_id)
            res = taxes.compute_all(price, currency, qty, product=product, partner=partner)
            total += res["total_included"]
            total_excl += res["total_excluded"]
            vals.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "full_product_name": product.display_name,
                        "qty": qty,
                        "price_unit": price,
                        "price_subtotal": res["total_excluded"],
                        "price_subtotal_incl": res["total_included"],
                        "tax_ids": [Command.set(taxes.ids)],
                        "sale_order_origin_id": sale_order.id if sale_order else False,
                        "sale_order_line_id": sale_line.id if sale_line else False,
                    }
                )
            )
        total, total_excl = currency.round(total), currency.round(total_excl)
        order = self.create(
            {
                "session_id": session.id,
                "partner_id": partner.id,
                "lines": vals,
                "amount_total": total,
                "amount_tax": total - total_excl,
                "amount_paid": 0.0,
                "amount_return": 0.0,
                "omni_flow": flow,
                "omni_sale_order_id": sale_order.id if sale_order else False,
                "pricelist_id": session.config_id.pricelist_id.id,
                "fiscal_position_id": False,
            }
        )
        order.add_payment(
            {
                "pos_order_id": order.id,
                "amount": total,
                "payment_method_id": payment_method.id,
                "session_id": session.id,
            }
        )
        order.action_pos_order_paid()
        return order

    def _omni_receipt(self):
        """What the POS prints: plain values, rendered by the POS receipt component."""
        self.ensure_one()
        return {
            "name": self.name,
            "pos_reference": self.pos_reference or "",
            "date": fields.Datetime.to_string(self.date_order),
            "partner": self.partner_id.name or "",
            "lines": [
                {
                    "product": line.full_product_name or line.product_id.display_name,
                    "qty": line.qty,
                    "price": line.price_subtotal_incl,
                }
                for line in self.lines
            ],
            "total": self.amount_total,
            "tax": self.amount_tax,
            "payments": [
                {"method": p.payment_method_id.name, "amount": p.amount} for p in self.payment_ids
            ],
            "currency": self.currency_id.symbol,
        }
