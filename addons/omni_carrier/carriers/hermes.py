"""Hermes Germany HSI (REST, OAuth2 password grant with refresh token)."""

import base64
import hashlib
from datetime import datetime, timedelta, timezone

from .common import CarrierError, HttpClient, Parcel, PickupPoint, ShipmentResult, TrackingEvent

URLS = {
    "prod": ("https://de-api.hermesworld.com", "https://authme.myhermes.de"),
    "test": ("https://de-api-int.hermesworld.com", "https://authme-int.myhermes.de"),
}
ACCEPT = {
    "PDF": "application/shippinglabel-pdf+json",
    "ZPL": "application/shippinglabel-zpl+json;dpi=203",
}


class HermesClient(HttpClient):
    carrier = "Hermes"

    def __init__(
        self, base_url, username, password, client_id, client_secret, auth_url=None, **kwargs
    ):
        super().__init__(base_url, **kwargs)
        self.auth_url = (auth_url or base_url).rstrip("/")
        self.username, self.password = username, password
        self.client_id, self.client_secret = client_id, client_secret
        self._refresh = None

    def _login(self):
        url = self.auth_url + "/authorization-facade/oauth2/access_token"
        common = {"client_id": self.client_id, "client_secret": self.client_secret}
        if self._refresh:
            response = self._send(
                "POST",
                url,
                data={"grant_type": "refresh_token", "refresh_token": self._refresh, **common},
            )
            if response.status_code == 200:
                return self._store(response.json())
        response = self._send(
            "POST",
            url,
            data={
                "grant_type": "password",
                "username": self.username,
                "password": self.password,
                **common,
            },
        )
        if response.status_code != 200:
            if response.status_code >= 429:
                self._raise_transport(response)
            body = response.json() if response.content else {}
            raise CarrierError(
                f"Hermes: login refused: {body.get('error_description') or body.get('error')}",
                code=body.get("error") or "auth",
                http_status=response.status_code,
            )
        return self._store(response.json())

    def _store(self, body):
        self._refresh = body.get("refresh_token")
        return body["access_token"]

    @staticmethod
    def _result_error(response):
        try:
            body = response.json()
        except ValueError:
            body = {}
        codes = body.get("listOfResultCodes") or []
        errors = [c for c in codes if str(c.get("code", "")).startswith("e")]
        if errors or response.status_code >= 400:
            message = (
                "; ".join(f"{c.get('message')}" for c in errors)
                or body.get("error_description")
                or str(response.status_code)
            )
            raise CarrierError(
                f"Hermes: {message}",
                code=errors[0]["code"] if errors else str(response.status_code),
                http_status=response.status_code,
            )
        return body, [c.get("message") for c in codes if str(c.get("code", "")).startswith("w")]

    # --- payloads (pure) ---
    @staticmethod
    def build_order(request, parcel, index):
        recipient = request["recipient"]
        names = recipient["name"].rsplit(" ", 1)
        opts = request.get("services") or {}
        service = {}
        if opts.get("parcel_shop"):
            service["parcelShopDeliveryService"] = {
                "psID": opts["parcel_shop"]["id"],
                "psSelectionRule": "SELECT_BY_ID",
            }
        if opts.get("ident") or opts.get("age_check"):
            service["identService"] = {
                "identID": recipient["name"][:30],
                "identType": "GERMAN_IDENTITY_CARD",
                "identVerifyFsk": "18" if opts.get("age_check") == "A18" else None,
            }
        if opts.get("email_notification") and recipient.get("email"):
            service["customerAlertService"] = {
                "notificationEmail": recipient["email"],
                "notificationType": "EMAIL",
            }
        if len(request["parcels"]) > 1:
            service["multipartService"] = {
                "partNumber": index + 1,
                "numberOfParts": len(request["parcels"]),
            }
        return {
            "clientReference": f"{request['reference']}-{index + 1}"[:20],
            "receiverName": {
                "firstname": names[0] if len(names) > 1 else "",
                "lastname": names[-1][:30],
            },
            "receiverAddress": {
                "street": recipient["street"][:50],
                "houseNumber": recipient.get("house") or "",
                "zipCode": recipient["zip"],
                "town": recipient["city"],
                "countryCode": (recipient.get("country") or "DE").upper(),
            },
            "receiverContact": {
                "mail": recipient.get("email") or "",
                "phone": recipient.get("phone") or "",
            },
            "parcel": {
                "parcelWeight": max(1, int(round(parcel["weight"] * 1000))),
                "productType": "PARCEL",
            },
            **({"service": service} if service else {}),
        }

    # --- operations ---
    can_reconcile = True  # GET /shipmentorders lists orders with their clientReference

    def _label_call(self, path, fmt, body=None):
        response = self._authorized(
            "POST",
            path,
            json=body,
            headers={"Accept": ACCEPT[fmt], "Accept-Language": self.language.upper()[:2]},
        )
        if response.status_code >= 429 or response.status_code == 401:
            self._raise_transport(response)
        return self._result_error(response)

    def create_shipment(self, request, reconcile=False):
        """One shipment order per parcel, ``clientReference`` = ``<reference>-<n>``.

        ``reconcile``: an earlier attempt may have created some of them (timeout): reuse the
        orders found under their references, reprint their labels, create only the others.
        """
        fmt = request.get("label_format") or "PDF"
        existing = self.find_orders(request["reference"]) if reconcile else {}
        parcels, docs, warnings = [], [], []
        for index, parcel in enumerate(request["parcels"]):
            order = self.build_order(request, parcel, index)
            found = existing.get(order["clientReference"])
            if found:
                path = f"/services/hsi/shipmentorders/{found['shipmentOrderID']}/labels"
                body, warns = self._label_call(path, fmt)
            else:
                body, warns = self._label_call("/services/hsi/shipmentorders/labels", fmt, order)
            doc = base64.b64decode(body["labelImage"])
            parcels.append(Parcel(body.get("shipmentID") or found["shipmentID"], doc))
            docs.append(doc)
            warnings += warns
        return ShipmentResult(
            parcels=parcels,
            label=b"".join(docs) if fmt == "ZPL" else b"",
            label_format=fmt,
            warnings=warnings,
        )

    def find_orders(self, reference, days=2):
        """Shipment orders of the last ``days`` whose clientReference is ``<reference>-<n>``,
        by clientReference (``GET /shipmentorders``, spec "HSI Order API")."""
        today = datetime.now(timezone.utc).date()
        response = self._authorized(
            "GET",
            "/services/hsi/shipmentorders",
            params={
                "shipmentOrderStartDate": (today - timedelta(days=days)).isoformat(),
                "shipmentOrderEndDate": (today + timedelta(days=1)).isoformat(),
            },
        )
        self._raise_transport(response)
        body, _warnings = self._result_error(response)
        prefix = f"{reference}-"[:20]
        found = {}
        for client in body.get("listOfClients") or []:
            for sender in client.get("listOfSenders") or []:
                for order in sender.get("listOfShipmentOrders") or []:
                    ref = order.get("clientReference") or ""
                    if ref.startswith(prefix) and order.get("actualOrderState") != "DELETED":
                        found[ref] = order
        return found

    def create_return(self, request):
        sender = request["sender"]
        names = sender["name"].rsplit(" ", 1)
        response = self._authorized(
            "POST",
            "/services/hsi/returnorders/labels",
            headers={"Accept": ACCEPT["PDF"]},
            json={
                "clientReference": request["reference"][:20],
                "senderName": {
                    "firstname": names[0] if len(names) > 1 else "",
                    "lastname": names[-1][:30],
                },
                "senderAddress": {
                    "street": sender["street"],
                    "houseNumber": sender.get("house") or "",
                    "zipCode": sender["zip"],
                    "town": sender["city"],
                    "countryCode": (sender.get("country") or "DE").upper(),
                },
            },
        )
        if response.status_code >= 429 or response.status_code == 401:
            self._raise_transport(response)
        body, _warnings = self._result_error(response)
        return Parcel(body["shipmentID"], base64.b64decode(body["shippinglabel"]))

    def track(self, tracking_numbers):
        events = []
        numbers = list(tracking_numbers)
        for start in range(0, len(numbers), 20):
            response = self._authorized(
                "GET",
                "/services/hsi/shipmentinfo",
                params={"shipmentID": numbers[start : start + 20]},
            )
            self._raise_transport(response)
            for info in response.json().get("shipmentinfo") or []:
                if (info.get("result") or {}).get("code"):
                    continue
                for status in info.get("status") or []:
                    when = (
                        datetime.fromisoformat(status["timestamp"])
                        .astimezone(timezone.utc)
                        .replace(tzinfo=None)
                    )
                    unit = status.get("scanningUnit") or {}
                    uid = hashlib.sha1(
                        f"{info['shipmentID']}|{status['timestamp']}|{status['code']}".encode()
                    ).hexdigest()
                    events.append(
                        TrackingEvent(
                            info["shipmentID"],
                            uid,
                            status["code"],
                            status.get("description") or "",
                            when,
                            unit.get("city") or unit.get("name") or "",
                        )
                    )
        return events

    def find_locations(self, zip_code, country="DE", city=None, street=None, limit=5):
        response = self._authorized(
            "GET",
            "/services/hsi/parcelshops",
            params={
                "zipCode": zip_code,
                "countryCode": country,
                "city": city or "",
                "limit": limit,
            },
        )
        self._raise_transport(response)
        points = []
        for shop in response.json().get("parcelShops") or []:
            hours = {}
            for slot in shop.get("openingHours") or []:
                hours.setdefault(str(slot["day"]), []).append(f"{slot['from']} - {slot['to']}")
            points.append(
                PickupPoint(
                    id=shop["parcelShopId"],
                    name=shop["name"],
                    street=f"{shop['street']} {shop.get('houseNumber') or ''}".strip(),
                    zip_code=shop["zipCode"],
                    city=shop["city"],
                    country_code=shop.get("countryCode") or country,
                    latitude=shop.get("latitude") or 0.0,
                    longitude=shop.get("longitude") or 0.0,
                    distance_km=shop.get("distance") or 0.0,
                    opening_hours=hours,
                )
            )
        return points
