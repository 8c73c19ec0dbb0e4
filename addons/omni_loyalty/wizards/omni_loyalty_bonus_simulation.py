from markupsafe import Markup, escape

from odoo import _, api, fields, models


class OmniLoyaltyBonusSimulation(models.TransientModel):
    """What-if: how would a planned order change the partner's tiers?"""

    _name = "omni.loyalty.bonus.simulation"
    _description = "Bonus What-If"

    partner_id = fields.Many2one("res.partner", required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_amount = fields.Monetary(currency_field="currency_id")
    result = fields.Html(compute="_compute_result", sanitize=False)

    @api.depends("partner_id", "planned_amount")
    def _compute_result(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if not wizard.partner_id:
                wizard.result = False
                continue
            rules = (
                self.env["omni.loyalty.bonus.rule"]
                .sudo()
                .search([("company_id", "=", wizard.company_id.id)])
            )
            rows = []
            for rule in rules.filtered(lambda r, w=wizard: r._applies_to(w.partner_id)):
                now = rule._tier_status(wizard.partner_id, today)
                after = rule._tier_status(wizard.partner_id, today, wizard.planned_amount)
                rows.append(
                    Markup("<li><b>%s</b><br/>%s<br/>%s</li>")
                    % (
                        escape(rule.name),
                        escape(_("Now: %(text)s", text=rule._describe_status(now))),
                        escape(_("With this order: %(text)s", text=rule._describe_status(after))),
                    )
                )
            wizard.result = (
                Markup("<ul>%s</ul>") % Markup("").join(rows)
                if rows
                else escape(_("No bonus rule applies to this partner."))
            )
