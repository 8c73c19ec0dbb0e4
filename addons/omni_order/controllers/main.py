from odoo import http
from odoo.http import request
from odoo.tools import consteq


class OmniAvailabilityController(http.Controller):
    """Available-to-promise per product for one sales channel (web shop, POS, marketplace).

    ``GET /omni/api/v1/availability?skus=A,B`` (or ``product_ids=1,2``) with the channel's key
    in the ``X-Omni-Api-Key`` header. Safety stock of that channel is deducted; reserved and
    blocked units are not promised.
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
        team = request.env["crm.team"].sudo()._omni_team_for_key(key) if key else None
        if not team or not consteq(team.omni_api_key or "", key):
            return request.make_json_response({"error": "invalid api key"}, status=401)
        products = request.env["product.product"].sudo().with_company(team.company_id)
        domain = []
        if skus:
            domain = [("default_code", "in", [s.strip() for s in skus.split(",") if s.strip()])]
        elif product_ids:
            try:
                ids = [int(x) for x in product_ids.split(",") if x.strip()]
            except ValueError:
                return request.make_json_response({"error": "bad product_ids"}, status=400)
            domain = [("id", "in", ids)]
        else:
            return request.make_json_response({"error": "skus or product_ids needed"}, status=400)
        products = products.search(domain, limit=1000)
        nodes = (
            request.env["omni.fulfilment.node"]
            .sudo()
            .search([("company_id", "=", team.company_id.id)])
        )
        data = nodes._omni_availability(products, team)
        return request.make_json_response({"channel": team.name, "products": data})
