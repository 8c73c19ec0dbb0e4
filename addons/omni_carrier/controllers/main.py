import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timezone

from odoo import http
from odoo.http import request

from ..carriers.common import TrackingEvent

_logger = logging.getLogger(__name__)


def verify_signature(secret, timestamp, body, signature, tolerance, now=None):
    """HMAC-SHA256 over ``<timestamp>.<body>``; constant-time compare, timestamp window."""
    if not (secret and timestamp and signature):
        return False
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    if age > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature)


def parse_events(body):
    events = []
    for item in json.loads(body).get("events") or []:
        when = datetime.fromisoformat(item["time"]).astimezone(timezone.utc).replace(tzinfo=None)
        events.append(
            TrackingEvent(
                item["trackingNumber"],
                str(item["eventId"]),
                str(item["code"]),
                item.get("text") or "",
                when,
                item.get("location") or "",
            )
        )
    return events


def dpd_push_event(params):
    """DPD Tracking Push: GET with pushid, pnr, status, statusdate (ddMMyyyyHHmm), ..."""
    when = (
        datetime.strptime(params["statusdate"], "%d%m%Y%H%M") if params.get("statusdate") else None
    )
    return TrackingEvent(
        params["pnr"],
        f"push-{params['pushid']}",
        params["status"],
        params.get("scaninfo") or params["status"],
        when,
        params.get("depot") or "",
    )


class OmniCarrierWebhook(http.Controller):
    def _account(self, account_id, carrier_code):
        account = request.env["omni.carrier.account"].sudo().browse(account_id).exists()
        return (
            account
            if account and account.carrier_code == carrier_code and account.active
            else None
        )

    @http.route(
        "/omni_carrier/webhook/dpd/<int:account_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
    )
    def dpd_push(self, account_id, token, **params):
        """DPD pushes without a signature: the per-account secret in the URL authenticates."""
        account = self._account(account_id, "dpd")
        if (
            not account
            or not account.webhook_secret
            or not hmac.compare_digest(account.webhook_secret, token)
        ):
            return request.make_response("forbidden", status=403)
        try:
            event = dpd_push_event(params)
        except (KeyError, ValueError):
            return request.make_response("bad request", status=400)
        request.env["omni.carrier.event"].sudo().with_company(account.company_id)._omni_ingest(
            "dpd", [event], source="webhook"
        )
        return request.make_response(
            "<push><pushid>%s</pushid><status>OK</status></push>"
            % (int(params["pushid"]) if params["pushid"].isdigit() else ""),
            headers=[("Content-Type", "application/xml")],
        )

    @http.route(
        "/omni_carrier/webhook/<string:carrier_code>/<int:account_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def signed_push(self, carrier_code, account_id):
        """Signed JSON pushes (HMAC + timestamp), checked before any write."""
        account = self._account(account_id, carrier_code)
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        if not account or not verify_signature(
            account.webhook_secret,
            headers.get("X-Omni-Timestamp"),
            body,
            headers.get("X-Omni-Signature"),
            account.webhook_tolerance or 300,
        ):
            return request.make_response("forbidden", status=401)
        try:
            events = parse_events(body)
        except (KeyError, ValueError, TypeError):
            return request.make_response("bad request", status=400)
        count = (
            request.env["omni.carrier.event"]
            .sudo()
            .with_company(account.company_id)
            ._omni_ingest(carrier_code, events, source="webhook")
        )
        return request.make_json_response({"accepted": count})

    @http.route(
        "/omni_carrier/return_label/<int:picking_id>", type="http", auth="user", website=False
    )
    def portal_return_label(self, picking_id):
        """Customer portal: request a return label for one of the customer's delivered orders."""
        picking = request.env["stock.picking"].browse(picking_id).exists()
        partner = request.env.user.partner_id.commercial_partner_id
        if not picking or picking.sudo().partner_id.commercial_partner_id != partner:
            return request.not_found()
        picking.sudo()._omni_request_return()
        return request.redirect(
            f"/my/orders/{picking.sudo().sale_id.id}" if picking.sudo().sale_id else "/my"
        )
