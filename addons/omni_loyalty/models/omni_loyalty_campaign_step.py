from odoo import fields, models


class OmniLoyaltyCampaignStep(models.Model):
    _name = "omni.loyalty.campaign.step"
    _description = "Campaign Step"
    _order = "campaign_id, sequence, id"

    campaign_id = fields.Many2one("omni.loyalty.campaign", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    delay_days = fields.Integer("Delay (days)", help="Days after the trigger fired.")
    action = fields.Selection(
        [
            ("activity", "Activity for the responsible"),
            ("email", "E-mail from a template"),
            ("points", "Bonus points"),
            ("tag", "Tag the partner"),
        ],
        required=True,
        default="activity",
    )
    summary = fields.Char(translate=True)
    activity_type_id = fields.Many2one("mail.activity.type")
    template_id = fields.Many2one("mail.template", domain=[("model", "=", "res.partner")])
    loyalty_program_id = fields.Many2one("loyalty.program")
    points = fields.Float()
    tag_id = fields.Many2one("res.partner.category", "Tag")
