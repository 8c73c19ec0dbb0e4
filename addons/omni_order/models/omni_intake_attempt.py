from odoo import api, fields, models

from .omni_intake_payload import render_errors

ATTEMPT_RESULTS = [
    ("created", "Order created"),
    ("duplicate", "Duplicate"),
    ("error", "Error"),
]


class OmniIntakeAttempt(models.Model):
    """One try to turn an intake into an order: when, by whom, what came of it."""

    _name = "omni.intake.attempt"
    _description = "Omni Intake Attempt"
    _order = "date desc, id desc"

    intake_id = fields.Many2one(
        "omni.intake", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="intake_id.company_id", store=True, index=True)
    payload_id = fields.Many2one("omni.intake.payload", string="Payload", readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="User", default=lambda self: self.env.user, readonly=True
    )
    result = fields.Selection(ATTEMPT_RESULTS, required=True, readonly=True)
    message_json = fields.Text(readonly=True)
    message = fields.Text(compute="_compute_message", string="Messages")

    @api.depends("message_json")
    @api.depends_context("lang")
    def _compute_message(self):
        lang = self.env.lang or "en_US"
        for attempt in self:
            attempt.message = render_errors(attempt.message_json, lang)
