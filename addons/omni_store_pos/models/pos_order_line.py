from odoo import models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    _sql_constraints = [
        ("omni_uuid_unique", "unique(uuid)", "A POS order line with this uuid already exists."),
    ]
