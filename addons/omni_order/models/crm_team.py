import secrets

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    omni_api_key = fields.Char(
        string="Availability API Key",
        copy=False,
        groups="base.group_system",
        help="Sent by the channel in the X-Omni-Api-Key header of the availability API.",
    )

    _sql_constraints = [("omni_api_key_uniq", "unique(omni_api_key)", "API keys must be unique.")]

    def action_omni_generate_api_key(self):
        for team in self:
            team.sudo().omni_api_key = secrets.token_urlsafe(32)
        return True

    def _omni_team_for_key(self, key):
        return self.search([("omni_api_key", "=", key)], limit=1)
