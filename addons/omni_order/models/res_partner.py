from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_gln = fields.Char(
        string="GLN",
        index="btree_not_null",
        copy=False,
        help="GS1 Global Location Number: how EDI orders name this customer.",
    )
