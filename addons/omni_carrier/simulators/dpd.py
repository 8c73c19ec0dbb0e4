# ruff: noqa: E501  (canned carrier XML/JSON answers read better unwrapped)
"""DPD Germany simulator: SOAP 1.1 LoginService, ShipmentService 4.4, PLC 2.0, ParcelShopFinder 5.0.

The envelope is parsed with lxml and dispatched on (path, body child QName); answers follow the
project's WSDL (``carriers/wsdl/dpd.wsdl``).
"""

import base64
import time
import uuid
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

from lxml import etree

from . import labels

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS_AUTH = "http://dpd.com/common/service/types/Authentication/2.0"
NS_LOGIN = "http://dpd.com/common/service/types/LoginService/2.0"
NS_SHIP = "http://dpd.com/common/service/types/ShipmentService/4.4"
NS_PLC = "http://dpd.com/common/service/types/ParcelLifeCycleService/2.0"
NS_PSF = "http://dpd.com/common/service/types/ParcelShopFinderService/5.0"
USERS = {"sandboxdpd": "sim-password", "expired": "sim-password"}
DEPOT = "0163"
PRODUCTS = {"CL", "E830", "E10", "E12", "E18", "IE2", "PL", "PL+", "MAIL", "MAX", "B2C"}

STATUS = {
    "created": "SHIPMENT",
    "picked_up": "ACCEPTED",
    "in_transit": "ON_THE_ROAD",
    "out_for_delivery": "AT_DELIVERY_DEPOT",
    "ready_for_pickup": "AT_DELIVERY_DEPOT",
    "delivered": "DELIVERED",
}

SHOPS = [
    (1001234567, "DE12345", "DPD Pickup Paketshop Bäckerei Schulz", "Gartenweg", "5", 0.4),
    (1001234568, "DE12346", "DPD Pickup Paketshop Getränke Lang", "Kirchplatz", "9", 1.1),
    (1001234569, "DE12347", "DPD Pickup Station Bahnhof", "Bahnhofplatz", "1", 2.0),
]


def envelope(body, header=""):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP}">'
        f"<soap:Header>{header}</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
    )


def fault(code, string, detail=""):
    from .server import reply

    detail_xml = f"<detail>{detail}</detail>" if detail else ""
    body = f"<soap:Fault><faultcode>soap:{code}</faultcode><faultstring>{escape(string)}</faultstring>{detail_xml}</soap:Fault>"
    return reply(500, envelope(body), "text/xml; charset=utf-8")


def auth_fault():
    return fault(
        "Server",
        "Fault occured",
        f'<ns:authenticationFault xmlns:ns="{NS_AUTH}"><errorCode>DELICOM_ERR_AUTHENTICATION</errorCode>'
        "<errorMessage>Authentication failure, check delisId and password.</errorMessage></ns:authenticationFault>",
    )


def ok(body):
    from .server import reply

    return reply(200, envelope(body), "text/xml; charset=utf-8")


def _text(node, path):
    found = node.find(path)
    return found.text if found is not None and found.text is not None else None


def handle(state, req, call):
    try:
        root = etree.fromstring(req.body)
    except etree.XMLSyntaxError:
        return fault("Client", "Malformed SOAP envelope")
    body = root.find(f"{{{SOAP}}}Body")
    if body is None or not len(body):
        return fault("Client", "Missing SOAP body")
    op = body[0]
    qname = etree.QName(op)
    call.op = qname.localname
    if (
        req.path.startswith("/services/LoginService")
        and qname.namespace == NS_LOGIN
        and qname.localname == "getAuth"
    ):
        return _get_auth(state, op)
    # every other service needs the authentication header
    auth = root.find(f"{{{SOAP}}}Header/{{{NS_AUTH}}}authentication")
    if auth is None:
        return auth_fault()
    token, delis_id = _text(auth, "authToken"), _text(auth, "delisId")
    if not state.token_ok("dpd", token):
        return auth_fault()
    if delis_id == "expired":
        # every second authenticated call answers authenticationFault (re-login path)
        count = state.shipments.setdefault("__expired_calls__", {"n": 0})
        count["n"] += 1
        if count["n"] % 2 == 1:
            state.expire_tokens("dpd")
            return auth_fault()
    if req.path.startswith("/services/ShipmentService") and qname.localname == "storeOrders":
        return _store_orders(state, op)
    if (
        req.path.startswith("/services/ParcelLifeCycleService")
        and qname.localname == "getTrackingData"
    ):
        return _tracking(state, op)
    if (
        req.path.startswith("/services/ParcelShopFinderService")
        and qname.localname == "findParcelShops"
    ):
        return _shops(op)
    return fault("Client", f"Unknown operation {qname.localname}")


def _get_auth(state, op):
    delis_id, password, lang = (
        _text(op, "delisId"),
        _text(op, "password"),
        _text(op, "messageLanguage") or "",
    )
    if len(lang) != 5:
        return fault("Client", "messageLanguage must have 5 characters")
    if USERS.get(delis_id) != password:
        return fault(
            "Server",
            "Fault occured",
            f'<ns:authenticationFault xmlns:ns="{NS_AUTH}"><errorCode>LOGIN_5</errorCode>'
            "<errorMessage>Authentication failure, check delisId and password.</errorMessage></ns:authenticationFault>",
        )
    token = state.issue_token("dpd", 86400)
    expires = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    return ok(
        f'<ns:getAuthResponse xmlns:ns="{NS_LOGIN}"><return><delisId>{escape(delis_id)}</delisId>'
        f"<customerUid>{escape(delis_id)}</customerUid><authToken>{token}</authToken><depot>{DEPOT}</depot>"
        f"<authTokenExpires>{expires}</authTokenExpires></return></ns:getAuthResponse>"
    )


def _check_digit(number):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(number)))
    return str((10 - total % 10) % 10)


def _store_orders(state, op):
    orders = op.findall("order")
    if not orders or len(orders) > 30:
        return fault("Client", "between 1 and 30 orders are required")
    fmt = _text(op, "printOptions/printOption/outputFormat") or "PDF"
    responses, label_parcels, timeout = [], [], False
    for order in orders:
        general = order.find("generalShipmentData")
        ident = _text(general, "identificationNumber") or ""
        if "SIM_FAULT" in ident:
            return fault("Server", "Fault occured")
        recipient = general.find("recipient")
        faults = []
        zip_code = _text(recipient, "zipCode") or ""
        if (
            _text(recipient, "country") == "DE"
            and not (zip_code.isdigit() and len(zip_code) == 5)
            or zip_code == "00000"
        ):
            faults.append(("COMMON_7", "Zip code invalid"))
        if _text(general, "product") not in PRODUCTS:
            faults.append(("SHIPMENT_PRODUCT", "Product not allowed"))
        if faults:
            responses.append(
                f"<shipmentResponses><identificationNumber>{escape(ident)}</identificationNumber>"
                + "".join(
                    f"<faults><faultCode>{c}</faultCode><message>{escape(m)}</message></faults>"
                    for c, m in faults
                )
                + "</shipmentResponses>"
            )
            continue
        shop = order.find("productAndServiceData/parcelShopDelivery") is not None
        infos = []
        for parcel in order.findall("parcels"):
            base = "0" + DEPOT[1:] + "%09d" % state.next_counter()
            number = (base + _check_digit(base))[:14].rjust(14, "0")
            infos.append(
                f"<parcelInformation><parcelLabelNumber>{number}</parcelLabelNumber>"
                f"<dpdReference>{uuid.uuid4().hex[:12]}</dpdReference></parcelInformation>"
            )
            state.add_shipment(number, carrier="dpd", ref=ident, shop=shop, item={})
            label_parcels.append(
                {
                    "number": number,
                    "carrier": "DPD",
                    "name": _text(recipient, "name1"),
                    "city": _text(recipient, "city"),
                }
            )
            if _text(parcel, "returns") == "true":
                ret = "0" + DEPOT[1:] + "%09d" % state.next_counter()
                ret = ret + _check_digit(ret)
                infos.append(
                    f"<parcelInformation><parcelLabelNumber>{ret}</parcelLabelNumber>"
                    "<dpdReference>RETURN</dpdReference></parcelInformation>"
                )
                label_parcels.append(
                    {"number": ret, "carrier": "DPD Retoure", "name": "Retoure", "city": ""}
                )
        responses.append(
            f"<shipmentResponses><identificationNumber>{escape(ident)}</identificationNumber>"
            f"<mpsId>MPS{DEPOT}{state.counter % 10**9:09d}</mpsId>{''.join(infos)}</shipmentResponses>"
        )
        if "SIM_TIMEOUT" in ident or "SIM_TIMEOUT" in (_text(recipient, "name1") or ""):
            timeout = True
    output = ""
    if label_parcels:
        if fmt == "ZPL":
            content = "".join(labels.zpl_label(p) for p in label_parcels).encode()
        else:
            content = labels.pdf_labels(label_parcels)
        output = f"<output><format>{escape(fmt)}</format><content>{base64.b64encode(content).decode()}</content></output>"
    if timeout:
        time.sleep(state.timeout_delay)
    return ok(
        f'<ns:storeOrdersResponse xmlns:ns="{NS_SHIP}"><orderResult>{output}{"".join(responses)}</orderResult></ns:storeOrdersResponse>'
    )


def _tracking(state, op):
    number = _text(op, "parcelLabelNumber") or ""
    shipment = state.shipments.get(number)
    if len(number) != 14 or not shipment or shipment.get("carrier") != "dpd":
        return fault(
            "Server",
            "Fault occured",
            f'<ns:DataFault xmlns:ns="{NS_PLC}"><code>DATA_1</code><message>No tracking data</message></ns:DataFault>',
        )
    events = state.events(shipment)
    infos = []
    for i, (name, when) in enumerate(events):
        current = "true" if i == len(events) - 1 else "false"
        date = time.strftime("%d.%m.%Y, %H:%M", time.localtime(when))
        infos.append(
            f"<statusInfo><status>{STATUS[name]}</status><label><content>{name}</content></label>"
            f"<statusHasBeenReached>true</statusHasBeenReached><isCurrentStatus>{current}</isCurrentStatus>"
            f"<location><content>Depot {DEPOT}</content></location><date><content>{date}</content></date></statusInfo>"
        )
    return ok(
        f'<ns:getTrackingDataResponse xmlns:ns="{NS_PLC}"><trackingresult>{"".join(infos)}</trackingresult></ns:getTrackingDataResponse>'
    )


def _shops(op):
    zip_code, city = _text(op, "zipCode") or "", _text(op, "city")
    if not city:
        return fault(
            "Server",
            "Fault occured",
            f'<ns:faults xmlns:ns="{NS_PSF}"><faultCode>COMMON_7</faultCode><message>City is required</message></ns:faults>',
        )
    if zip_code == "00000":
        return ok(f'<ns:findParcelShopsResponse xmlns:ns="{NS_PSF}"/>')
    limit = int(_text(op, "limit") or 3)
    shops = []
    for shop_id, pudo, name, street, house, distance in SHOPS[:limit]:
        hours = "".join(
            f"<openingHours><weekday>{d}</weekday><openMorning>09:00</openMorning><closeMorning>13:00</closeMorning>"
            f"<openAfternoon>14:00</openAfternoon><closeAfternoon>18:00</closeAfternoon></openingHours>"
            for d in ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag")
        )
        shops.append(
            f"<parcelShop><parcelShopId>{shop_id}</parcelShopId><pudoId>{pudo}</pudoId><company>{escape(name)}</company>"
            f"<street>{street}</street><houseNo>{house}</houseNo><country>DE</country><zipCode>{zip_code}</zipCode>"
            f"<city>{escape(city)}</city><latitude>{52.5 + distance / 100}</latitude><longitude>{13.4 + distance / 100}</longitude>"
            f"<distance>{distance}</distance>{hours}</parcelShop>"
        )
    return ok(
        f'<ns:findParcelShopsResponse xmlns:ns="{NS_PSF}">{"".join(shops)}</ns:findParcelShopsResponse>'
    )
