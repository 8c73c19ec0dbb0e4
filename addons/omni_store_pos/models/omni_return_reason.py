from odoo import fields, models


class OmniReturnReason(models.Model):
    """Why a customer brings an online order back to a store."""

    _name = "omni.return.reason"
    _description = "Omni Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    damaged = fields.Boolean(
        help="Suggest the damaged location for goods returned for this reason."
    )

    _sql_constraints = [("code_uniq", "unique(code)", "Return reason codes must be unique.")]
