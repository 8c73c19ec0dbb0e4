from odoo import http
from odoo.http import request


class OmniAvailabilityController(http.Controller):
    """Available-to-promise per product for one sales channel (web shop, POS, marketplace).

    ``GET /omni/api/v1/availability?skus=A,B`` (or ``product_ids=1,2``) with the channel's key
    in the ``X-Omni-Api-Key`` header. Safety stock of that channel is deducted; reserved and
    blocked units are not promised. The logic is ``crm.team._omni_availability_response``.
    """

    @http.route(
        "/omni/api/v1/availability",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def availability(self, skus="", product_ids="", **kwargs):
        key = request.httprequest.headers.get("X-Omni-Api-Key", "")
        status, payload = (
            request.env["crm.team"].sudo()._omni_availability_response(key, skus, product_ids)
        )
        return request.make_json_response(payload, status=status)
