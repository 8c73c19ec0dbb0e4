from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class OmniLoyaltyPortal(CustomerPortal):
    # === delivery feedback: the link's token is the only credential === #

    def _omni_feedback(self, feedback_id, token):
        return request.env["omni.loyalty.feedback"]._get_by_token(feedback_id, token)

    @http.route(
        "/omni_loyalty/feedback/<int:feedback_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def omni_feedback_form(self, feedback_id, token, **kwargs):
        feedback = self._omni_feedback(feedback_id, token)
        if not feedback:
            raise request.not_found()
        return request.render(
            "omni_loyalty.portal_feedback", {"feedback": feedback, "token": token}
        )

    @http.route(
        "/omni_loyalty/feedback/<int:feedback_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def omni_feedback_submit(self, feedback_id, token, rating=0, comment=None, **kwargs):
        feedback = self._omni_feedback(feedback_id, token)
        if not feedback:
            raise request.not_found()
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if 1 <= rating <= 5:
            feedback._submit(rating, comment)
        return request.render(
            "omni_loyalty.portal_feedback", {"feedback": feedback, "token": token, "done": True}
        )

    # === supplier scorecards in the portal: record rules limit them to the own company === #

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "omni_scorecard_count" in counters:
            Scorecard = request.env["omni.loyalty.scorecard"]
            values["omni_scorecard_count"] = (
                Scorecard.search_count([("kind", "=", "supplier")])
                if Scorecard.has_access("read")
                else 0
            )
        return values

    @http.route("/my/omni_scorecards", type="http", auth="user", website=True)
    def omni_portal_scorecards(self, **kwargs):
        cards = request.env["omni.loyalty.scorecard"].search(
            [("kind", "=", "supplier")], order="period_date desc", limit=24
        )
        values = self._prepare_portal_layout_values()
        values.update({"scorecards": cards, "page_name": "omni_scorecards"})
        return request.render("omni_loyalty.portal_my_scorecards", values)
