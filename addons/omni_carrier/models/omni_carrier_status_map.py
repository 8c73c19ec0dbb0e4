from odoo import api, fields, models, tools

from ..carriers.status import STATUSES
from .omni_carrier_account import CARRIERS


class OmniCarrierStatusMap(models.Model):
    """Which normalised status a carrier's raw event code means; editable by the admin."""

    _name = "omni.carrier.status.map"
    _description = "Carrier Status Mapping"
    _order = "carrier_code, code"

    carrier_code = fields.Selection(CARRIERS, string="Carrier", required=True)
    code = fields.Char(string="Carrier Code", required=True)
    status = fields.Selection(STATUSES, required=True)
    note = fields.Char()

    _sql_constraints = [
        ("code_uniq", "UNIQUE(carrier_code, code)", "A carrier code can be mapped only once."),
    ]

    @api.model
    @tools.ormcache()
    def _omni_mapping(self):
        mapping = {code: {} for code, _label in CARRIERS}
        for row in self.sudo().search_read([], ["carrier_code", "code", "status"]):
            mapping[row["carrier_code"]][row["code"]] = row["status"]
        return mapping

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
