from odoo import fields, models


class OmniLoyaltyBonusTier(models.Model):
    _name = "omni.loyalty.bonus.tier"
    _description = "Bonus Volume Tier"
    _order = "rule_id, min_amount"

    rule_id = fields.Many2one("omni.loyalty.bonus.rule", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    min_amount = fields.Monetary("From Volume", currency_field="currency_id", required=True)
    percent = fields.Float("Bonus (%)", digits=(16, 2), required=True)

    _sql_constraints = [
        (
            "rule_min_unique",
            "unique(rule_id, min_amount)",
            "Two tiers of a rule cannot start at the same volume.",
        ),
        ("percent_positive", "CHECK(percent >= 0)", "The bonus percent cannot be negative."),
    ]
