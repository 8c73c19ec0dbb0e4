from odoo import fields, models

PO_ACTIONS = [
    ("none", "None"),
    ("warn", "Warn on RFQs and purchase orders"),
    ("block", "Block until a manager approves"),
]


class OmniLoyaltyGrade(models.Model):
    """A grade band of the supplier score, with the standing action it carries."""

    _name = "omni.loyalty.grade"
    _description = "Scorecard Grade"
    _order = "company_id, min_score desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    min_score = fields.Float(
        "From Score", required=True, help="A total score from this value (inclusive) up."
    )
    po_action = fields.Selection(PO_ACTIONS, "Purchase Action", default="none", required=True)
    warning_message = fields.Text(translate=True)
    color = fields.Integer()

    _sql_constraints = [
        (
            "company_min_score_unique",
            "unique(company_id, min_score)",
            "Two grades cannot start at the same score.",
        )
    ]
