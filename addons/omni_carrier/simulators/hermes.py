"""Hermes Germany HSI simulator: OAuth password/refresh grant, labels, returns, shipment info."""

import base64
import time

from . import labels

USERS = {("sim-user", "sim-password", "sim-client", "sim-secret")}
COUNTRIES = {"DE", "AT", "NL", "BE", "LU", "DK", "PL", "CZ", "FR"}
TOKEN_TTL = 600
PDF = "application/shippinglabel-pdf+json"
ZPL = "application/shippinglabel-zpl+json"

# step name -> (2x2 code, text)
EVENTS = {
    "created": ("0000", "Die Sendung wurde Hermes elektronisch angekündigt."),
    "picked_up": ("1000", "Die Sendung hat das Lager des Auftraggebers verlassen."),
    "in_transit": ("2000", "Die Sendung ist im Hermes Logistikzentrum eingetroffen."),
    "out_for_delivery": ("3000", "Die Sendung befindet sich in der Zustellung."),
    "ready_for_pickup": ("3410", "Die Sendung liegt im Hermes PaketShop zur Abholung bereit."),
    "delivered": ("3500", "Die Sendung wurde zugestellt."),
}

SHOPS = [
    ("4711001", "Kiosk am Markt (Hermes PaketShop)", "Marktstr.", "1", 0.3),
    ("4711002", "Schreibwaren Müller (Hermes PaketShop)", "Lindenallee", "22", 0.9),
    ("4711003", "Hermes Paketshop Tankstelle", "Ringstr.", "40", 1.7),
]


def _codes(code, message):
    return {"listOfResultCodes": [{"code": code, "message": message}]}


def handle(state, req, call):
    from .server import reply

    path = req.path.rstrip("/")
    if path == "/authorization-facade/oauth2/access_token" and req.method == "POST":
        call.op = "token"
        return _token(state, req)
    call.op = {
        "/services/hsi/shipmentorders/labels": "create",
        "/services/hsi/returnorders/labels": "return",
        "/services/hsi/shipmentinfo": "track",
        "/services/hsi/parcelshops": "locations",
    }.get(path)
    auth = req.headers.get("authorization", "")
    if not (auth.lower().startswith("bearer ") and state.token_ok("hermes", auth[7:])):
        return reply(
            401, {"error": "access_denied", "error_description": "Access denied for token"}
        )
    if path == "/services/hsi/shipmentorders/labels" and req.method == "POST":
        call.op = "create"
        return _create(state, req)
    if path == "/services/hsi/returnorders/labels" and req.method == "POST":
        call.op = "return"
        return _return(state, req)
    if path == "/services/hsi/shipmentinfo" and req.method == "GET":
        call.op = "track"
        return _info(state, req)
    if path == "/services/hsi/shipmentorders" and req.method == "GET":
        call.op = "orders"
        return _orders(state, req)
    if (
        path.startswith("/services/hsi/shipmentorders/")
        and path.endswith("/labels")
        and req.method == "POST"
    ):
        call.op = "reprint"
        return _reprint(state, req, path.split("/")[-2])
    if path == "/services/hsi/parcelshops" and req.method == "GET":
        call.op = "locations"
        return _shops(req)
    return reply(404, _codes("e404", "Not found"))


def _token(state, req):
    from .server import reply

    form = req.form()
    grant = form.get("grant_type")
    if grant == "password":
        key = (
            form.get("username"),
            form.get("password"),
            form.get("client_id"),
            form.get("client_secret"),
        )
        if key not in USERS:
            return reply(401, {"error": "invalid_client", "error_description": "Bad credentials"})
    elif grant == "refresh_token":
        if not state.refresh_tokens.pop(form.get("refresh_token"), None):
            return reply(
                401, {"error": "invalid_grant", "error_description": "Invalid refresh token"}
            )
    else:
        return reply(400, {"error": "invalid_request", "error_description": "grant_type missing"})
    token = state.issue_token("hermes", TOKEN_TTL)
    refresh = f"r-{token}"
    state.refresh_tokens[refresh] = True
    return reply(
        200,
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_TTL,
            "refresh_token": refresh,
            "scope": "hsi",
            "realm": "hermes",
        },
    )


def _format(req):
    accept = req.headers.get("accept", PDF)
    if accept.startswith(ZPL):
        return "ZPL"
    if accept.startswith(PDF) or accept in ("*/*", "application/json"):
        return "PDF"
    return None


def _label(number, name, town, fmt):
    parcel = {"number": number, "carrier": "Hermes", "name": name, "city": town}
    if fmt == "ZPL":
        return base64.b64encode(labels.zpl_label(parcel).encode()).decode(), "text/zpl"
    return base64.b64encode(labels.pdf_labels([parcel])).decode(), "application/pdf"


def _create(state, req):
    from .server import reply

    fmt = _format(req)
    if not fmt:
        return reply(415, _codes("e096", "The given Content-Type is not supported"))
    body = req.json()
    ref = body.get("clientReference") or ""
    receiver_name = body.get("receiverName") or {}
    address = body.get("receiverAddress") or {}
    if "SIM_500" in ref or "SIM_500" in (receiver_name.get("lastname") or ""):
        return reply(500, _codes("e999", "Internal error"))
    if "SIM_429" in ref or "SIM_429" in (receiver_name.get("lastname") or ""):
        return reply(429, _codes("e429", "Too many requests"), headers={"Retry-After": "1"})
    if not (
        receiver_name.get("lastname")
        and address.get("street")
        and address.get("town")
        and address.get("zipCode")
        and (body.get("parcel") or {}).get("parcelWeight")
    ):
        return reply(
            400,
            _codes("e002", "Required field error during validation – Required fields not filled."),
        )
    if address.get("countryCode", "DE") not in COUNTRIES:
        return reply(400, _codes("e005", "Destination country not permitted"))
    result_codes = []
    shop = (body.get("service") or {}).get("parcelShopDeliveryService") or {}
    if shop.get("psID") == "000000":
        result_codes.append({"code": "w081", "message": "The selected ParcelShop was changed."})
    number = "H10%012d" % state.next_counter()
    image, media = _label(number, receiver_name.get("lastname"), address.get("town"), fmt)
    state.add_shipment(
        number,
        carrier="hermes",
        ref=ref,
        shop=bool(shop),
        name=receiver_name.get("lastname"),
        town=address.get("town"),
        item={
            "shipmentID": number,
            "shipmentOrderID": number[-11:],
            "labelImage": image,
            "labelMediatype": media,
        },
    )
    if "SIM_TIMEOUT" in ref or "SIM_TIMEOUT" in (receiver_name.get("lastname") or ""):
        time.sleep(state.timeout_delay)
    return reply(
        200,
        {
            "listOfResultCodes": result_codes,
            "shipmentID": number,
            "shipmentOrderID": number[-11:],
            "labelImage": image,
            "labelMediatype": media,
        },
    )


def _return(state, req):
    from .server import reply

    body = req.json()
    sender = body.get("senderName") or {}
    if not sender.get("lastname") or not (body.get("senderAddress") or {}).get("zipCode"):
        return reply(
            400,
            _codes("e002", "Required field error during validation – Required fields not filled."),
        )
    number = "H20%012d" % state.next_counter()
    image, media = _label(
        number, sender.get("lastname"), (body.get("senderAddress") or {}).get("town"), "PDF"
    )
    state.add_shipment(
        number, carrier="hermes", ref=body.get("clientReference") or "", shop=False, item={}
    )
    return reply(
        200,
        {
            "listOfResultCodes": [],
            "shipmentID": number,
            "returnOrderID": number[-11:],
            "shippinglabel": image,
            "labelMediatype": media,
        },
    )


def _orders(state, req):
    """GET /shipmentorders: the account's orders in the date window (GetShipmentOrdersResponse)."""
    from .server import reply

    start = req.arg("shipmentOrderStartDate") or "0000-00-00"
    end = req.arg("shipmentOrderEndDate") or "9999-99-99"
    orders = []
    for shipment in list(state.shipments.values()):
        if shipment.get("carrier") != "hermes" or "shipmentOrderID" not in shipment["item"]:
            continue
        created = time.strftime("%Y-%m-%d", time.gmtime(shipment["created"]))
        if start <= created <= end:
            orders.append(
                {
                    "shipmentID": shipment["number"],
                    "shipmentOrderID": shipment["item"]["shipmentOrderID"],
                    "createDate": created,
                    "actualOrderState": "DELETED" if shipment["cancelled"] else "CREATED",
                    "clientReference": shipment["ref"],
                }
            )
    return reply(
        200,
        {
            "listOfResultCodes": [],
            "listOfClients": [
                {
                    "clientID": "1234",
                    "listOfSenders": [{"senderID": "1", "listOfShipmentOrders": orders}],
                }
            ],
        },
    )


def _reprint(state, req, order_id):
    """POST /shipmentorders/{shipmentOrderID}/labels for an order that exists."""
    from .server import reply

    fmt = _format(req)
    if not fmt:
        return reply(415, _codes("e096", "The given Content-Type is not supported"))
    for shipment in list(state.shipments.values()):
        item = shipment["item"]
        if shipment.get("carrier") == "hermes" and item.get("shipmentOrderID") == order_id:
            image, media = _label(
                shipment["number"], shipment.get("name"), shipment.get("town"), fmt
            )
            return reply(
                200,
                {
                    "listOfResultCodes": [],
                    "shipmentID": shipment["number"],
                    "shipmentOrderID": order_id,
                    "labelImage": image,
                    "labelMediatype": media,
                },
            )
    return reply(400, _codes("e404", "Shipment order not found"))


def _info(state, req):
    from .server import reply

    infos = []
    refs = req.query.get("clientReference") or []
    numbers = list(req.query.get("shipmentID") or [])
    if refs:
        numbers += [
            s["number"]
            for s in state.shipments.values()
            if s.get("carrier") == "hermes" and s["ref"] in refs
        ]
    for number in numbers:
        shipment = state.shipments.get(number)
        if not shipment or shipment.get("carrier") != "hermes":
            infos.append(
                {
                    "shipmentID": number,
                    "result": {"code": "e404", "message": "Shipment not found"},
                    "status": [],
                }
            )
            continue
        status = [
            {
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(when)),
                "code": EVENTS[name][0],
                "description": EVENTS[name][1],
                "scanningUnit": {"name": "LC Berlin", "city": "Berlin", "countryCode": "DEU"},
            }
            for name, when in state.events(shipment)
        ]
        infos.append(
            {
                "shipmentID": number,
                "clientReference": shipment["ref"],
                "result": {"code": "", "message": ""},
                "status": status,
                "trackingLink": f"https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{number}",
            }
        )
    return reply(200, {"shipmentinfo": infos})


def _shops(req):
    """ParcelShop search: not part of HSI; modelled on Hermes' ParcelShop API (assumption)."""
    from .server import reply

    zip_code = req.arg("zipCode", "")
    if zip_code == "00000":
        return reply(200, {"parcelShops": []})
    shops = []
    for shop_id, name, street, house, distance in SHOPS[: int(req.arg("limit", "3"))]:
        shops.append(
            {
                "parcelShopId": shop_id,
                "name": name,
                "street": street,
                "houseNumber": house,
                "zipCode": zip_code,
                "city": req.arg("city") or "Berlin",
                "countryCode": "DE",
                "latitude": 52.51 + distance / 100,
                "longitude": 13.39 + distance / 100,
                "distance": distance,
                "openingHours": [{"day": d, "from": "08:00", "to": "19:00"} for d in range(6)],
            }
        )
    return reply(200, {"parcelShops": shops})
