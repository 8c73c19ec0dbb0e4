from odoo import fields, models


class OmniRejectReason(models.Model):
    """Why a node rejects its part of an order, and what that does to its stock."""

    _name = "omni.reject.reason"
    _description = "Omni Rejection Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    stock_effect = fields.Selection(
        [
            ("none", "None"),
            ("block", "Block the units until a count"),
            ("scrap", "Move the units to scrap"),
        ],
        required=True,
        default="none",
    )

    _sql_constraints = [("code_uniq", "unique(code, company_id)", "Reason codes must be unique.")]
