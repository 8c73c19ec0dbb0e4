import uuid

from odoo import api, fields, models
from odoo.tools import consteq


class OmniLoyaltyFeedback(models.Model):
    """A delivery rating requested from the customer through a tokenised portal link."""

    _name = "omni.loyalty.feedback"
    _description = "Delivery Feedback"
    _order = "id desc"
    _check_company_auto = True

    picking_id = fields.Many2one(
        "stock.picking", required=True, ondelete="cascade", index=True, check_company=True
    )
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    access_token = fields.Char(
        required=True, copy=False, default=lambda self: uuid.uuid4().hex, groups="base.group_user"
    )
    rating = fields.Integer(help="1 (poor) to 5 (excellent); 0 while not rated.")
    comment = fields.Text()
    rated_on = fields.Datetime(readonly=True)
    portal_url = fields.Char(compute="_compute_portal_url")

    _sql_constraints = [
        ("picking_unique", "unique(picking_id)", "A delivery is rated once."),
        ("rating_range", "CHECK(rating >= 0 AND rating <= 5)", "Ratings go from 1 to 5."),
    ]

    @api.depends("access_token")
    def _compute_portal_url(self):
        for feedback in self:
            feedback.portal_url = (
                f"/omni_loyalty/feedback/{feedback.id}/{feedback.sudo().access_token}"
            )

    @api.model
    def _get_by_token(self, feedback_id, token):
        """The feedback of a portal link, or an empty recordset when the token does not match
        (constant-time comparison). The token is the only credential: no login needed."""
        feedback = self.sudo().browse(int(feedback_id)).exists()
        if not feedback or not token or not consteq(feedback.access_token, str(token)):
            return self.browse()
        return feedback

    def _submit(self, rating, comment):
        self.ensure_one()
        self.write(
            {
                "rating": max(1, min(5, int(rating))),
                "comment": comment or False,
                "rated_on": fields.Datetime.now(),
            }
        )
