"""DPD Germany web services over SOAP with zeep and the project's own WSDL (wsdl/dpd.wsdl)."""

import hashlib
import os
import threading
from datetime import datetime

import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault, TransportError
from zeep.transports import Transport

from .common import (
    DEFAULT_TIMEOUT,
    CarrierAuthError,
    CarrierError,
    Parcel,
    PickupPoint,
    ShipmentResult,
    TrackingEvent,
)

WSDL = os.path.join(os.path.dirname(__file__), "wsdl", "dpd.wsdl")
URLS = {"prod": "https://public-ws.dpd.com", "test": "https://public-ws-stage.dpd.com"}
NS = "{http://omni.example/dpd/wsdl}"
NS_AUTH = "http://dpd.com/common/service/types/Authentication/2.0"
PATHS = {
    "login": ("LoginServiceBinding", "/services/LoginService/V2_0/"),
    "shipment": ("ShipmentServiceBinding", "/services/ShipmentService/V4_4/"),
    "plc": ("ParcelLifeCycleServiceBinding", "/services/ParcelLifeCycleService/V2_0/"),
    "psf": ("ParcelShopFinderServiceBinding", "/services/ParcelShopFinderService/V5_0/"),
}
WEEKDAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonntag": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_wsdl_lock = threading.Lock()
_wsdl_cache = {}


def _wsdl_document(transport):
    """Parse the local WSDL once per process (zeep keeps the parsed document immutable)."""
    with _wsdl_lock:
        if "doc" not in _wsdl_cache:
            _wsdl_cache["doc"] = zeep.Client(WSDL, transport=transport).wsdl
        return _wsdl_cache["doc"]


class DpdClient:
    carrier = "DPD"

    def __init__(
        self,
        base_url,
        delis_id,
        password,
        language="de_DE",
        timeout=DEFAULT_TIMEOUT,
        session=None,
        depot=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.delis_id, self.password, self.language = delis_id, password, language
        self.timeout = timeout
        # zeep has no timeout by default: operation_timeout bounds every SOAP call
        self.transport = Transport(
            session=session or requests.Session(), timeout=timeout[0], operation_timeout=timeout
        )
        self.client = zeep.Client(WSDL, transport=self.transport)
        self._services = {}
        self._token = None
        self.depot = depot

    def _service(self, name):
        if name not in self._services:
            binding, path = PATHS[name]
            self._services[name] = self.client.create_service(NS + binding, self.base_url + path)
        return self._services[name]

    def _header(self):
        element = self.client.get_element(f"{{{NS_AUTH}}}authentication")
        return element(delisId=self.delis_id, authToken=self._token, messageLanguage=self.language)

    # --- error handling ---
    @staticmethod
    def _fault_detail(fault):
        detail = fault.detail
        if detail is None or not len(detail):
            return None, None, None
        node = detail[0]
        local = etree.QName(node).localname
        texts = {etree.QName(c).localname: c.text for c in node}
        return (
            local,
            texts.get("errorCode") or texts.get("code") or texts.get("faultCode"),
            texts.get("errorMessage") or texts.get("message"),
        )

    def _call(self, service, operation, authenticated=True, **kwargs):
        for attempt in (1, 2):
            if authenticated and not self._token:
                self.login()
            try:
                extra = {"_soapheaders": [self._header()]} if authenticated else {}
                return getattr(self._service(service), operation)(**kwargs, **extra)
            except Fault as fault:
                kind, code, message = self._fault_detail(fault)
                if kind == "authenticationFault" and authenticated and attempt == 1:
                    self._token = None  # expired token: one re-login and one retry
                    continue
                if kind == "authenticationFault":
                    raise CarrierAuthError(
                        f"DPD: {message or fault.message}", code=code or "authenticationFault"
                    ) from fault
                raise CarrierError(
                    f"DPD: {message or fault.message}", code=code or (fault.code or "soap:Fault")
                ) from fault
            except requests.Timeout as exc:
                raise CarrierError(
                    f"DPD: no answer within {self.timeout} s", code="timeout", ambiguous=True
                ) from exc
            except (requests.ConnectionError, TransportError) as exc:
                raise CarrierError(
                    f"DPD: service unavailable ({exc.__class__.__name__})",
                    code="connection",
                    retryable=True,
                ) from exc
        raise CarrierAuthError("DPD: authentication failed twice", code="authenticationFault")

    def login(self):
        result = self._call(
            "login",
            "getAuth",
            authenticated=False,
            delisId=self.delis_id,
            password=self.password,
            messageLanguage=self.language,
        )
        self._token = result.authToken
        self.depot = result.depot
        return result

    # --- payloads (pure) ---
    @staticmethod
    def _address(address):
        return {
            "name1": address["name"][:50],
            "street": address["street"][:50],
            "houseNo": address.get("house") or None,
            "country": (address.get("country") or "DE").upper(),
            "zipCode": address["zip"],
            "city": address["city"],
            "phone": address.get("phone") or None,
            "email": address.get("email") or None,
        }

    def build_order(self, request):
        opts = request.get("services") or {}
        recipient = request["recipient"]
        service_data = {"orderType": "consignment"}
        notify_lang = (recipient.get("lang") or "DE")[:2].upper()
        if opts.get("email_notification") and recipient.get("email"):
            service_data["predict"] = {
                "channel": 1,
                "value": recipient["email"],
                "language": notify_lang,
            }
        if opts.get("ident") or opts.get("age_check"):
            service_data["personalDelivery"] = {
                "type": 3 if opts.get("ident") else 1,
                "name": recipient["name"][:35],
            }
        shop = opts.get("parcel_shop")
        if shop:
            service_data["parcelShopDelivery"] = {
                "parcelShopId": int(shop["id"]),
                "parcelShopNotification": {
                    "channel": 1,
                    "value": recipient.get("email") or "",
                    "language": notify_lang,
                },
            }
        return {
            "generalShipmentData": {
                "identificationNumber": request["reference"][:35],
                "sendingDepot": self.depot or "0163",
                "product": request.get("product") or "CL",
                "mpsCustomerReferenceNumber1": request["reference"][:35],
                "sender": self._address(request["shipper"]),
                "recipient": self._address(recipient),
            },
            "parcels": [
                {
                    "customerReferenceNumber1": f"{request['reference']}-{i + 1}"[:35],
                    "weight": max(1, int(round(p["weight"] * 100))),  # unit: 10 g
                    "returns": bool(opts.get("return_label")) and i == 0 or None,
                }
                for i, p in enumerate(request["parcels"])
            ],
            "productAndServiceData": service_data,
        }

    # --- operations ---
    def create_shipment(self, request):
        fmt = request.get("label_format") or "PDF"
        if not self._token:
            self.login()
        result = self._call(
            "shipment",
            "storeOrders",
            printOptions={"printOption": [{"outputFormat": fmt, "paperFormat": "A6"}]},
            order=[self.build_order(request)],
        )
        responses = result.shipmentResponses or []
        faults = [f for r in responses for f in (r.faults or [])]
        if faults:  # business faults inside a successful SOAP answer
            raise CarrierError(
                "DPD: " + "; ".join(f.message for f in faults), code=faults[0].faultCode
            )
        parcels, ret = [], None
        for response in responses:
            for info in response.parcelInformation or []:
                if info.dpdReference == "RETURN":
                    ret = info.parcelLabelNumber
                else:
                    parcels.append(Parcel(info.parcelLabelNumber))
        content = result.output[0].content if result.output else b""
        return ShipmentResult(
            parcels=parcels, label=content, label_format=fmt, return_tracking_number=ret or ""
        )

    def track(self, tracking_numbers):
        events = []
        for number in tracking_numbers:
            try:
                result = self._call("plc", "getTrackingData", parcelLabelNumber=number)
            except CarrierError as exc:
                if exc.code == "DATA_1":
                    continue
                raise
            infos = (
                result
                if isinstance(result, list)
                else (result.statusInfo if result is not None else [])
            )
            for info in infos or []:
                if not info.statusHasBeenReached:
                    continue
                date = info.date.content if info.date is not None else ""
                when = datetime.strptime(date, "%d.%m.%Y, %H:%M") if date else None
                uid = hashlib.sha1(f"{number}|{info.status}|{date}".encode()).hexdigest()
                events.append(
                    TrackingEvent(
                        number,
                        uid,
                        info.status,
                        info.label.content if info.label is not None else info.status,
                        when,
                        info.location.content if info.location is not None else "",
                    )
                )
        return events

    def find_locations(self, zip_code, country="DE", city=None, street=None, limit=5):
        result = self._call(
            "psf",
            "findParcelShops",
            country=country,
            zipCode=zip_code,
            city=city or "",
            street=street,
            limit=limit,
        )
        points = []
        for shop in result or []:
            hours = {}
            for slot in shop.openingHours or []:
                day = str(WEEKDAYS.get((slot.weekday or "").lower(), 0))
                for start, end in (
                    (slot.openMorning, slot.closeMorning),
                    (slot.openAfternoon, slot.closeAfternoon),
                ):
                    if start and end:
                        hours.setdefault(day, []).append(f"{start} - {end}")
            points.append(
                PickupPoint(
                    id=str(shop.parcelShopId),
                    name=shop.company,
                    street=f"{shop.street} {shop.houseNo or ''}".strip(),
                    zip_code=shop.zipCode,
                    city=shop.city,
                    country_code=shop.country,
                    latitude=shop.latitude or 0.0,
                    longitude=shop.longitude or 0.0,
                    distance_km=shop.distance or 0.0,
                    opening_hours=hours,
                    number=shop.pudoId or "",
                )
            )
        return points
