import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timezone

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..carriers.common import TrackingEvent
from ..models.delivery_carrier import OMNI_TYPES

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
            "dpd", [event], source="webhook", account=account
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
        except (KeyError, ValueError, TypeError, AttributeError):
            return request.make_response("bad request", status=400)
        count = (
            request.env["omni.carrier.event"]
            .sudo()
            .with_company(account.company_id)
            ._omni_ingest(carrier_code, events, source="webhook", account=account)
        )
        return request.make_json_response({"accepted": count})


class OmniCarrierPortal(CustomerPortal):
    @http.route(
        "/omni_carrier/return_label/<int:picking_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def portal_return_label(self, picking_id, access_token=None, **kwargs):
        """Customer portal: the return label of a delivered transfer of the customer's order.

        Access as for the order page: the logged-in owner, or anyone with the order's
        ``access_token`` (checked by ``_document_check_access``, constant-time). The first
        visit requests the label (a queue job buys it); once bought, the PDF is served.
        """
        picking_sudo = request.env["stock.picking"].sudo().browse(picking_id).exists()
        order_sudo = picking_sudo.sale_id
        if not order_sudo:
            return request.not_found()
        try:
            self._document_check_access("sale.order", order_sudo.id, access_token)
        except AccessError:
            return request.make_response("forbidden", status=403)
        except MissingError:
            return request.not_found()
        carrier = picking_sudo.carrier_id
        if (
            picking_sudo.state != "done"
            or picking_sudo.picking_type_code != "outgoing"
            or carrier.delivery_type not in OMNI_TYPES
            or not carrier.can_generate_return
            or not carrier.get_return_label_from_portal
        ):
            return request.not_found()
        shipment = picking_sudo._omni_create_return_label()
        labels = shipment.label_attachment_ids if shipment.state == "done" else None
        if labels:
            return request.make_response(
                labels[0].raw,
                headers=[
                    ("Content-Type", "application/pdf"),
                    ("Content-Disposition", content_disposition(labels[0].name)),
                ],
            )
        return request.redirect(order_sudo.get_portal_url(query_string="&omni_return=pending"))
