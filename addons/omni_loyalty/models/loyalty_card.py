from odoo import api, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    @api.model
    def _omni_get_or_create(self, program, partner):
        card = self.search(
            [("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1
        )
        return card or self.create({"program_id": program.id, "partner_id": partner.id})

    def _omni_add_points(self, points, description):
        self.ensure_one()
        self.points += points
        self.env["loyalty.history"].create(
            {"card_id": self.id, "description": description, "issued": points}
        )
