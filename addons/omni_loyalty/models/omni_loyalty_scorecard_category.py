from odoo import fields, models


class OmniLoyaltyScorecardCategory(models.Model):
    """Revenue of a customer in one product category for a scorecard month."""

    _name = "omni.loyalty.scorecard.category"
    _description = "Scorecard Category Interest"
    _order = "revenue desc"

    scorecard_id = fields.Many2one(
        "omni.loyalty.scorecard", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    partner_id = fields.Many2one(related="scorecard_id.partner_id", store=True)
    period_date = fields.Date(related="scorecard_id.period_date", store=True)
    currency_id = fields.Many2one(related="scorecard_id.currency_id")
    categ_id = fields.Many2one("product.category", "Category", required=True)
    revenue = fields.Monetary(currency_field="currency_id", aggregator="sum")
    share = fields.Float("Share (%)", digits=(16, 2), aggregator="avg")
    baseline = fields.Monetary(
        "Usual Monthly Revenue",
        currency_field="currency_id",
        aggregator="sum",
        help="Average monthly revenue of the previous months.",
    )
    buying_less = fields.Boolean()
