# ruff: noqa: E501  (canned carrier XML/JSON answers read better unwrapped)
"""DHL Parcel DE simulator: OAuth ROPC, Shipping API v2, Returns, Location Finder, Tracking."""

import base64
import time
from datetime import datetime
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from lxml import etree

from . import labels

BERLIN = ZoneInfo("Europe/Berlin")
USERS = {("user-valid", "SandboxPasswort2023!", "sim-client", "sim-secret")}
BILLING_NUMBERS = {"33333333330101", "33333333330102", "33333333335301", "33333333330701"}
RECEIVERS = {"deu", "DEU", "DE"}
TRACKING_APP = ("zt12345", "geheim")

# step name -> (standard-event-code, ice, ric, text)
EVENTS = {
    "created": ("VA", "SHRCU", "PCKST", "Die Auftragsdaten zu dieser Sendung wurden übermittelt."),
    "picked_up": ("AE", "PCKDU", "NRQRD", "Die Sendung wurde abgeholt."),
    "in_transit": ("AA", "LDTMV", "MVMTV", "Die Sendung wurde im Start-Paketzentrum bearbeitet."),
    "out_for_delivery": (
        "PO",
        "SRTED",
        "NRQRD",
        "Die Sendung wurde in das Zustellfahrzeug geladen.",
    ),
    "ready_for_pickup": (
        "ZF",
        "HLDCC",
        "PCKST",
        "Die Sendung liegt in der Packstation zur Abholung.",
    ),
    "delivered": ("ZU", "DLVRD", "OTHER", "Die Sendung wurde erfolgreich zugestellt."),
}

LOCATIONS = [
    ("8003-4103260", "Packstation 148", "locker", "148", "Hauptstr.", "12", 0.35),
    ("8003-4090110", "Postfiliale 502", "postoffice", "502", "Bahnhofstr.", "3", 0.8),
    ("8003-4117711", "DHL Paketshop 611", "servicepoint", "611", "Marktplatz", "7", 1.4),
]


def _status(code, title, detail):
    return {"title": title, "statusCode": code, "detail": detail}


def _bearer_ok(state, req):
    auth = req.headers.get("authorization", "")
    return auth.startswith("Bearer ") and state.token_ok("dhl", auth[7:])


def handle(state, req, call):
    from .server import reply

    path = req.path.rstrip("/")
    if path == "/parcel/de/account/auth/ropc/v1/token" and req.method == "POST":
        call.op = "token"
        form = req.form()
        key = (
            form.get("username"),
            form.get("password"),
            form.get("client_id"),
            form.get("client_secret"),
        )
        if form.get("grant_type") != "password" or key not in USERS:
            return reply(
                401, {"error": "invalid_grant", "error_description": "Invalid user credentials"}
            )
        token = state.issue_token("dhl", 1799)
        return reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 1799})
    if path == "/parcel/de/shipping/v2":
        call.op = "version"
        return reply(
            200,
            {
                "amp": {
                    "name": "pp-parcel-shipping-native",
                    "env": "sim",
                    "version": "v2.1.13",
                    "rev": "1",
                }
            },
        )
    if path == "/location-finder/v1/find-by-address":
        call.op = "locations"
        return _locations(req)
    if path == "/parcel/de/tracking/v0/shipments":
        call.op = "track"
        return _tracking(state, req)
    call.op = (
        {"POST": "create", "GET": "get", "DELETE": "cancel"}.get(req.method)
        if path.endswith("/orders")
        else None
    )
    if path.endswith("/returns/v1/orders"):
        call.op = "return"
    if not _bearer_ok(state, req):
        return reply(401, _status(401, "Unauthorized", "Invalid or expired access token"))
    if path == "/parcel/de/shipping/v2/orders":
        if req.method == "POST":
            call.op = "create"
            return _create(state, req)
        if req.method == "GET":
            call.op = "get"
            return _get(state, req)
        if req.method == "DELETE":
            call.op = "cancel"
            return _cancel(state, req)
    if path == "/parcel/de/shipping/returns/v1/orders" and req.method == "POST":
        call.op = "return"
        return _return(state, req)
    return reply(404, _status(404, "Not Found", path))


def _label(state, req, numbers, name, city, fmt):
    parcels = [{"number": n, "carrier": "DHL Paket", "name": name, "city": city} for n in numbers]
    if fmt == "ZPL2":
        return {"zpl2": "".join(labels.zpl_label(p) for p in parcels), "fileFormat": "ZPL2"}
    return {
        "b64": base64.b64encode(labels.pdf_labels(parcels)).decode(),
        "fileFormat": "PDF",
        "printFormat": "910-300-710",
    }


def _magic(shipment, token):
    return token in (shipment.get("refNo") or "") or token in (
        (shipment.get("consignee") or {}).get("name1") or ""
    )


def _create(state, req):
    from .server import reply

    body = req.json()
    shipments = body.get("shipments") or []
    if not body.get("profile") or not shipments or len(shipments) > 30:
        return reply(
            400,
            {
                "status": _status(400, "Bad Request", "profile and 1..30 shipments required"),
                "items": [],
            },
        )
    if any(_magic(s, "SIM_500") for s in shipments):
        return reply(500, _status(500, "Internal Server Error", "Unexpected backend error"))
    if any(_magic(s, "SIM_429") for s in shipments):
        return reply(
            429,
            _status(429, "Too Many Requests", "Rate limit exceeded"),
            headers={"Retry-After": "1"},
        )
    fmt = req.arg("docFormat", "PDF")
    validate = req.arg("validate") == "true"
    items, ok = [], 0
    timeout = False
    for shipment in shipments:
        consignee = shipment.get("consignee") or {}
        if shipment.get("billingNumber") not in BILLING_NUMBERS:
            items.append(
                {
                    "sstatus": _status(400, "Bad Request", "Invalid billing number."),
                    "shipmentRefNo": shipment.get("refNo"),
                    "validationMessages": [
                        {
                            "property": "billingNumber",
                            "validationMessage": "Invalid billing number.",
                            "validationState": "Error",
                        }
                    ],
                }
            )
            continue
        if consignee.get("postalCode") == "00000":
            items.append(
                {
                    "sstatus": _status(400, "Bad Request", "Shipment not codeable."),
                    "shipmentRefNo": shipment.get("refNo"),
                    "validationMessages": [
                        {
                            "property": "consignee",
                            "validationMessage": "The city entered does not match the postcode. The shipment is not codeable.",
                            "validationState": "Error",
                        }
                    ],
                }
            )
            continue
        ok += 1
        if validate:
            items.append({"sstatus": _status(200, "OK", "")})
            continue
        number = "00340433333010%08d" % state.next_counter()
        item = {
            "shipmentNo": number,
            "routingCode": "40327653113+99000933090010",
            "shipmentRefNo": shipment.get("refNo"),
            "sstatus": _status(200, "OK", ""),
            "label": _label(
                state, req, [number], consignee.get("name1"), consignee.get("city"), fmt
            ),
        }
        if consignee.get("name1") == "SIM_WARNING":
            item["validationMessages"] = [
                {
                    "property": "consignee",
                    "validationMessage": "Address corrected.",
                    "validationState": "Warning",
                }
            ]
        services = shipment.get("services") or {}
        if services.get("dhlRetoure"):
            ret = "00340433333070%08d" % state.next_counter()
            item["returnShipmentNo"] = ret
            item["returnLabel"] = _label(state, req, [ret], "Retoure", "", fmt)
        shop = "lockerID" in consignee or "retailID" in consignee
        state.add_shipment(number, carrier="dhl", ref=shipment.get("refNo"), shop=shop, item=item)
        items.append(item)
        if _magic(shipment, "SIM_TIMEOUT"):
            timeout = True
    if timeout:
        time.sleep(state.timeout_delay)  # the shipment exists, but the client gives up waiting
    if ok == 0:
        code = 400
    else:
        code = 200 if len(shipments) == 1 else 207
    detail = f"{ok} of {len(shipments)} shipments successfully created."
    return reply(
        code,
        {
            "status": _status(
                code,
                "OK" if code == 200 else "Multi-Status" if code == 207 else "Bad Request",
                detail,
            ),
            "items": items,
        },
    )


def _get(state, req):
    """Re-issue documents (``shipment=``): the real API has no lookup by reference."""
    from .server import reply

    items = []
    unknown = 0
    for number in req.query.get("shipment") or []:
        shipment = state.shipments.get(number)
        if shipment and shipment.get("carrier") == "dhl" and not shipment["cancelled"]:
            items.append(shipment["item"])
        else:
            unknown += 1
            items.append(
                {
                    "shipmentNo": number,
                    "sstatus": _status(204, "UnknownShipmentNumber", "Unknown shipment number."),
                }
            )
    code = 200 if not unknown else (400 if unknown == len(items) else 207)
    return reply(
        code, {"status": _status(code, "OK" if code == 200 else "Bad Request", ""), "items": items}
    )


def _cancel(state, req):
    from .server import reply

    if not req.arg("profile"):
        return reply(
            400, {"status": _status(400, "Bad Request", "profile is required"), "items": []}
        )
    items, ok = [], 0
    for number in req.query.get("shipment") or []:
        shipment = state.shipments.get(number)
        if shipment and shipment.get("carrier") == "dhl" and not shipment["cancelled"]:
            shipment["cancelled"] = True
            ok += 1
            items.append({"shipmentNo": number, "sstatus": _status(200, "OK", "")})
        else:
            items.append(
                {
                    "shipmentNo": number,
                    "sstatus": _status(204, "UnknownShipmentNumber", "Unknown shipment number."),
                }
            )
    code = 200 if ok == len(items) and ok else 400
    return reply(
        code,
        {
            "status": _status(
                code,
                "OK" if code == 200 else "Bad Request",
                f"{ok} of {len(items)} shipment successfully canceled.",
            ),
            "items": items,
        },
    )


def _return(state, req):
    from .server import reply

    body = req.json()
    if not body.get("receiverId") or not body.get("shipper"):
        return reply(400, _status(400, "Bad Request", "receiverId and shipper are required"))
    if body["receiverId"] not in RECEIVERS:
        return reply(422, _status(422, "Unprocessable Entity", "Unknown receiverId"))
    number = "9999%016d" % state.next_counter()
    shipper = body["shipper"]
    pdf = labels.pdf_labels(
        [
            {
                "number": number,
                "carrier": "DHL Retoure",
                "name": shipper.get("name1"),
                "city": shipper.get("city"),
            }
        ]
    )
    state.add_shipment(
        number, carrier="dhl", ref=body.get("customerReference"), shop=False, item={}
    )
    return reply(
        201,
        {
            "shipmentNo": number,
            "label": {"b64": base64.b64encode(pdf).decode()},
            "routingCode": "4032765",
            "sstatus": _status(201, "Created", ""),
        },
    )


def _locations(req):
    from .server import reply

    if not req.headers.get("dhl-api-key"):
        return reply(401, {"title": "Unauthorized", "status": 401})
    zip_code = req.arg("postalCode", "")
    if zip_code == "00000":
        return reply(404, {"title": "No locations found", "status": 404})
    limit = int(req.arg("limit", "3"))
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    out = []
    for loc_id, name, kind, keyword_id, street, house, distance in LOCATIONS[:limit]:
        out.append(
            {
                "url": f"/locations/{loc_id}",
                "location": {
                    "ids": [{"locationId": loc_id, "provider": "parcel"}],
                    "keyword": name.rsplit(" ", 1)[0],
                    "keywordId": keyword_id,
                    "type": kind,
                },
                "name": name,
                "distance": int(distance * 1000),
                "place": {
                    "address": {
                        "countryCode": req.arg("countryCode", "DE"),
                        "postalCode": zip_code,
                        "addressLocality": req.arg("addressLocality") or "Berlin",
                        "streetAddress": f"{street} {house}",
                    },
                    "geo": {
                        "latitude": 52.52 + distance / 100,
                        "longitude": 13.40 + distance / 100,
                    },
                },
                "openingHours": [
                    {
                        "opens": "00:00:00" if kind == "locker" else "09:00:00",
                        "closes": "23:59:00" if kind == "locker" else "18:00:00",
                        "dayOfWeek": f"http://schema.org/{d}",
                    }
                    for d in days
                ],
                "serviceTypes": ["parcel:pick-up", "parcel:drop-off"],
            }
        )
    return reply(200, {"locations": out})


def _tracking(state, req):
    from .server import reply

    try:
        data = etree.fromstring(req.arg("xml", "").encode())
    except etree.XMLSyntaxError:
        return reply(400, '<data code="2" error="invalid xml"/>', "application/xml")
    if (data.get("appname"), data.get("password")) != TRACKING_APP:
        return reply(
            200,
            '<data name="piece-shipment-list" code="10" error="Login failed"/>',
            "application/xml",
        )
    pieces = [p for p in (data.get("piece-code") or "").split(";") if p]
    out = []
    for number in pieces[:20]:
        shipment = state.shipments.get(number)
        if not shipment or shipment.get("carrier") != "dhl":
            continue
        events = []
        for name, when in state.events(shipment):
            code, ice, ric, text = EVENTS[name]
            events.append(
                f'<data name="piece-event" event-timestamp="{datetime.fromtimestamp(when, BERLIN).strftime("%d.%m.%Y %H:%M")}" '
                f'event-status={quoteattr(text)} ice="{ice}" ric="{ric}" standard-event-code="{code}" '
                f'event-location="Berlin" event-country="DE"/>'
            )
        last = state.events(shipment)[-1][0]
        out.append(
            f'<data name="piece-shipment" error-status="0" piece-code="{number}" short-status={quoteattr(EVENTS[last][3])} '
            f'delivery-event-flag="{1 if last == "delivered" else 0}"><data name="piece-event-list">{"".join(events)}</data></data>'
        )
    if not out:
        return reply(
            200,
            '<data name="piece-shipment-list" code="100" error="No data found"/>',
            "application/xml",
        )
    return reply(
        200,
        f'<?xml version="1.0" encoding="UTF-8"?><data name="piece-shipment-list" code="0" request-id="sim">{"".join(out)}</data>',
        "application/xml",
    )
