import secrets

from odoo import api, fields, models
from odoo.tools import consteq


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

    @api.model
    def _omni_availability_response(self, key, skus="", product_ids=""):
        """(HTTP status, JSON payload) of the availability API for the channel owning
        ``key``. Called as superuser by the controller; nothing is written."""
        team = self.search([("omni_api_key", "=", key)], limit=1) if key else self
        if not team or not consteq(team.omni_api_key or "", key):
            return 401, {"error": "invalid api key"}
        if skus:
            codes = [s.strip() for s in skus.split(",") if s.strip()]
            domain = [("default_code", "in", codes)]
        elif product_ids:
            try:
                domain = [("id", "in", [int(x) for x in product_ids.split(",") if x.strip()])]
            except ValueError:
                return 400, {"error": "bad product_ids"}
        else:
            return 400, {"error": "skus or product_ids needed"}
        company = team.company_id or self.env.company
        products = self.env["product.product"].with_company(company).search(domain, limit=1000)
        nodes = self.env["omni.fulfilment.node"].search([("company_id", "=", company.id)])
        return 200, {"channel": team.name, "products": nodes._omni_availability(products, team)}
