from odoo import api, fields, models

DEFAULT_GRADES = [
    ("A", 85.0, "none"),
    ("B", 70.0, "none"),
    ("C", 50.0, "warn"),
    ("D", 0.0, "block"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_loyalty_weight_otif = fields.Float("OTIF Weight", default=30.0)
    omni_loyalty_weight_lead_time = fields.Float("Lead Time Weight", default=15.0)
    omni_loyalty_weight_fill_rate = fields.Float("Fill Rate Weight", default=20.0)
    omni_loyalty_weight_quality = fields.Float("Quality Weight", default=20.0)
    omni_loyalty_weight_price = fields.Float("Price Weight", default=15.0)
    omni_loyalty_lead_time_target = fields.Float("Target Lead Time (days)", default=14.0)
    omni_loyalty_buying_less_threshold = fields.Float(
        "Buying Less Below (%)",
        default=50.0,
        help="Signal when a category falls below this share of its usual monthly revenue.",
    )
    omni_loyalty_buying_less_months = fields.Integer("Buying Less History (months)", default=6)
    omni_loyalty_buying_less_min_baseline = fields.Float(
        "Buying Less Minimum Usual Revenue", default=100.0
    )
    omni_loyalty_max_alerts = fields.Integer(
        "Alerts per Partner and Month",
        default=3,
        help="More campaign alerts for one partner in one month are grouped in a digest. "
        "0 means no limit.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._omni_loyalty_create_default_grades()
        return companies

    def _omni_loyalty_create_default_grades(self):
        """Grades A to D for new companies (bands and actions stay editable)."""
        self.env["omni.loyalty.grade"].sudo().create(
            [
                {"name": name, "min_score": score, "po_action": action, "company_id": company.id}
                for company in self
                for name, score, action in DEFAULT_GRADES
            ]
        )

    def _omni_loyalty_weights(self):
        self.ensure_one()
        return {
            "otif": self.omni_loyalty_weight_otif,
            "lead_time": self.omni_loyalty_weight_lead_time,
            "fill_rate": self.omni_loyalty_weight_fill_rate,
            "quality": self.omni_loyalty_weight_quality,
            "price": self.omni_loyalty_weight_price,
        }
