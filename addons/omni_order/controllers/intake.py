from odoo import http
from odoo.http import request


class OmniIntakeController(http.Controller):
    """Orders from web shops and marketplaces.

    ``POST /omni/api/v1/orders`` with the channel's key in the ``X-Omni-Api-Key`` header and a
    JSON body ``{"orders": [...]}`` (schema in readme/USAGE.md). The body is kept as a payload
    whatever it contains; the answer gives one result per order. The logic is
    ``omni.intake.payload._omni_rest_response``.
    """

    @http.route(
        "/omni/api/v1/orders",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def orders(self, **kwargs):
        key = request.httprequest.headers.get("X-Omni-Api-Key", "")
        status, body = (
            request.env["omni.intake.payload"]
            .sudo()
            ._omni_rest_response(key, request.httprequest.get_data(cache=False))
        )
        return request.make_json_response(body, status=status)
