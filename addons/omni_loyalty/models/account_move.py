from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_bonus_settlement_id = fields.Many2one(
        "omni.loyalty.bonus.settlement",
        "Bonus Settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on credit notes and rebate claims created by a bonus settlement; such "
        "documents never count as bonus volume.",
    )
