from odoo import fields, models


class OmniFulfilmentNode(models.Model):
    _inherit = "omni.fulfilment.node"

    omni_no_show_hours = fields.Float(
        string="No-show After (hours)",
        default=72.0,
        help="A click & collect order not collected this long after it was ready is flagged "
        "as a no-show and the customer reminded; 0 = never.",
    )
    omni_no_show_cancel_hours = fields.Float(
        string="Cancel No-show After (hours)",
        default=168.0,
        help="A click & collect order not collected this long after it was ready is cancelled, "
        "its goods restocked and, when paid, refunded; 0 = never.",
    )
