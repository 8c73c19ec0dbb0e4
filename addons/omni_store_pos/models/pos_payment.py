from odoo import models


class PosPayment(models.Model):
    _inherit = "pos.payment"

    _sql_constraints = [
        ("omni_uuid_unique", "unique(uuid)", "A POS payment with this uuid already exists."),
    ]
