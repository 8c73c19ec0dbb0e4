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

    omni_intake_confirm = fields.Boolean(
        string="Confirm Received Orders",
        help="Orders received from this channel are confirmed (and sourced) at once; "
        "otherwise they wait as quotations.",
    )
    omni_intake_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Intake Pricelist",
        help="Prices of received orders; empty: the customer's pricelist.",
    )
    omni_intake_use_payload_price = fields.Boolean(
        string="Use Prices of the Order",
        help="Take the unit price the channel sends instead of the pricelist's.",
    )
    omni_intake_create_partner = fields.Boolean(
        string="Create Unknown Customers",
        help="A customer not found by GLN, customer number or e-mail is created from the "
        "order's name, e-mail and address (web shops). Otherwise the order is an intake error.",
    )
    omni_intake_max_size = fields.Integer(
        string="Maximum Payload Size (bytes)",
        default=10 * 1024 * 1024,
        help="Larger payloads are refused and kept in error.",
    )
    omni_intake_alias_id = fields.Many2one(
        "mail.alias", string="Order E-mail Alias", copy=False, readonly=True
    )
    omni_intake_alias_name = fields.Char(
        string="Order E-mail",
        related="omni_intake_alias_id.alias_name",
        readonly=True,
    )

    _sql_constraints = [("omni_api_key_uniq", "unique(omni_api_key)", "API keys must be unique.")]

    def action_omni_generate_api_key(self):
        for team in self:
            team.sudo().omni_api_key = secrets.token_urlsafe(32)
        return True

    def action_omni_create_intake_alias(self):
        """Create the mail alias whose messages become intake payloads of this channel."""
        model = self.env["ir.model"]._get("omni.intake.payload")
        for team in self.filtered(lambda t: not t.omni_intake_alias_id):
            team.omni_intake_alias_id = (
                self.env["mail.alias"]
                .sudo()
                .create(
                    {
                        "alias_name": f"orders-{team.name}",
                        "alias_model_id": model.id,
                        "alias_defaults": repr({"channel_id": team.id}),
                        "alias_contact": "everyone",
                    }
                )
            )
        return True

    @api.model
    def _omni_team_for_key(self, key):
        """The channel owning API ``key`` (constant-time compare), or an empty recordset."""
        team = self.sudo().search([("omni_api_key", "=", key)], limit=1) if key else self
        if not team or not consteq(team.omni_api_key or "", key):
            return self.browse()
        return team

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
