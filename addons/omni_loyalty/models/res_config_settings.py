from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_loyalty_weight_otif = fields.Float(
        related="company_id.omni_loyalty_weight_otif", readonly=False
    )
    omni_loyalty_weight_lead_time = fields.Float(
        related="company_id.omni_loyalty_weight_lead_time", readonly=False
    )
    omni_loyalty_weight_fill_rate = fields.Float(
        related="company_id.omni_loyalty_weight_fill_rate", readonly=False
    )
    omni_loyalty_weight_quality = fields.Float(
        related="company_id.omni_loyalty_weight_quality", readonly=False
    )
    omni_loyalty_weight_price = fields.Float(
        related="company_id.omni_loyalty_weight_price", readonly=False
    )
    omni_loyalty_lead_time_target = fields.Float(
        related="company_id.omni_loyalty_lead_time_target", readonly=False
    )
    omni_loyalty_buying_less_threshold = fields.Float(
        related="company_id.omni_loyalty_buying_less_threshold", readonly=False
    )
    omni_loyalty_buying_less_months = fields.Integer(
        related="company_id.omni_loyalty_buying_less_months", readonly=False
    )
    omni_loyalty_buying_less_min_baseline = fields.Float(
        related="company_id.omni_loyalty_buying_less_min_baseline", readonly=False
    )
    omni_loyalty_max_alerts = fields.Integer(
        related="company_id.omni_loyalty_max_alerts", readonly=False
    )
