from odoo import _, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_bonus_status = fields.Html(
        "Bonus Tiers", compute="_compute_omni_bonus_status", sanitize=False
    )

    def _compute_omni_bonus_status(self):
        today = fields.Date.context_today(self)
        rules = (
            self.env["omni.loyalty.bonus.rule"]
            .sudo()
            .search([("company_id", "=", self.env.company.id), ("partner_kind", "=", "customer")])
        )
        for order in self:
            partner = order.partner_id.commercial_partner_id
            order.omni_bonus_status = (
                partner._omni_bonus_status_html(rules, today) if partner else False
            )

    def action_omni_bonus_simulate(self):
        """What-if: the effect of this order's amount on the customer's tiers."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Bonus What-If"),
            "res_model": "omni.loyalty.bonus.simulation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_planned_amount": self.amount_untaxed,
            },
        }
