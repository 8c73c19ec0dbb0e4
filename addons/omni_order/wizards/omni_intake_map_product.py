from odoo import api, fields, models


class OmniIntakeMapProduct(models.TransientModel):
    """Correct an intake error: say which product a code of the order means, then retry.
    The mapping is kept for the next orders."""

    _name = "omni.intake.map.product"
    _description = "Map a Product Code of an Intake"

    intake_id = fields.Many2one("omni.intake", required=True)
    code = fields.Char(required=True)
    product_id = fields.Many2one("product.product", string="Product", required=True)
    scope = fields.Selection(
        [("customer", "This customer"), ("channel", "Every customer of the channel")],
        required=True,
        default="customer",
    )
    partner_id = fields.Many2one("res.partner", compute="_compute_partner_id", string="Customer")

    @api.depends("intake_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = (
                wizard.intake_id._omni_mapped_partner() if wizard.intake_id else False
            )

    def action_map(self):
        self.ensure_one()
        self.env["omni.intake.product.map"].create(
            {
                "code": self.code,
                "product_id": self.product_id.id,
                "partner_id": self.partner_id.id if self.scope == "customer" else False,
                "channel_id": self.intake_id.channel_id.id,
                "company_id": self.intake_id.company_id.id,
            }
        )
        self.intake_id.action_retry()
        return {"type": "ir.actions.act_window_close"}
