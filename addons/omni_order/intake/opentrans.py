"""openTRANS 2.1 ``ORDER`` (German B2B XML, BMEcat 2005 elements) to one ``OrderDraft``.

XML safety first (RELIABILITY I05): the size is capped before parsing; lxml parses without
loading a DTD, without substituting entities, without network access and without the huge-tree
limits lifted. A document that declares a DTD at all (the carrier of external entities and
"billion laughs" entity bombs) is refused: openTRANS needs none.

Mapping: ``PARTY`` with ``PARTY_ROLE`` ``buyer`` is the customer and ``delivery`` the delivery
party (without roles, ``ORDER_PARTIES_REFERENCE`` ``BUYER_IDREF``/``DELIVERY_IDREF`` pick
them); ``PARTY_ID`` ``type="gln"`` is the GLN (check digit verified), ``supplier_specific``
our customer number, ``buyer_specific`` the customer number when no ``supplier_specific`` is
given. Items: ``SUPPLIER_PID`` = our SKU, ``INTERNATIONAL_PID`` ``gtin``/``ean`` = EAN,
``BUYER_PID`` = the customer's code, ``PRICE_AMOUNT`` per ``PRICE_QUANTITY``.
Locations are ``line N (ELEMENT)`` of the XML.
"""

import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from lxml import etree

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, LineDraft, OrderDraft, PartyDraft, check_size
from .gs1 import is_valid_gln, is_valid_gs1
from .limits import MAX_PAYLOAD_BYTES, MAX_QUANTITY

_lt = LazyTranslate(__name__)

GTIN_TYPES = {"gtin", "ean", "gtin13", "ean13"}


def xml_parser():
    """The only way this module parses XML: no DTD, no entities, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def _refuse_dtd(line):
    return IntakeError(
        _lt(
            "The XML declares a DTD: entity declarations are refused (XXE and "
            "entity-expansion protection)."
        ),
        location=f"line {line}",
    )


def parse(data, limit=MAX_PAYLOAD_BYTES, **options):
    check_size(data, limit)
    doctype = re.search(rb"<!DOCTYPE", data)
    if doctype:  # refused before the parser sees it (ASCII-compatible encodings)
        raise _refuse_dtd(data.count(b"\n", 0, doctype.start()) + 1)
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        raise IntakeError(
            _lt(
                "The XML is not well-formed: %(detail)s",
                detail=re.sub(r", line \d+, column \d+$", "", exc.msg),
            ),
            location=f"line {exc.lineno}",
        ) from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # e.g. UTF-16 input
        raise _refuse_dtd(1)
    if _name(root) != "ORDER":
        raise IntakeError(
            _lt("The XML root is %(root)s, not an openTRANS ORDER.", root=_name(root)),
            location=f"line {root.sourceline}",
        )
    return [_order(root)]


def _name(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, name):
    return [child for child in element if _name(child) == name] if element is not None else []


def _child(element, *path):
    for name in path:
        found = _children(element, name)
        element = found[0] if found else None
        if element is None:
            return None
    return element


def _text(element, *path):
    found = _child(element, *path) if path else element
    return (found.text or "").strip() if found is not None else ""


def _loc(element):
    return f"line {element.sourceline} ({_name(element)})"


def _decimal(element, ref):
    try:
        number = Decimal(_text(element))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise IntakeError(
            _lt(
                "%(element)s %(value)s is not a number.",
                element=_name(element),
                value=_text(element) or "''",
            ),
            ref=ref,
            location=_loc(element),
        )
    return number


def _datetime(element, ref):
    if element is None or not _text(element):
        return None
    try:
        value = datetime.fromisoformat(_text(element))
    except ValueError:
        raise IntakeError(
            _lt("%(value)s is not an ISO date or date-time.", value=_text(element)),
            ref=ref,
            location=_loc(element),
        ) from None
    if value.tzinfo:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _party(element, ref):
    ids = {}
    for party_id in _children(element, "PARTY_ID"):
        kind = (party_id.get("type") or "").strip().lower()
        ids.setdefault(kind, (_text(party_id), party_id))
    party = PartyDraft()
    if "gln" in ids:
        gln, node = ids["gln"]
        if not is_valid_gln(gln):
            raise IntakeError(
                _lt("GLN %(gln)s is not valid (13 digits with a check digit).", gln=gln),
                ref=ref,
                location=_loc(node),
            )
        party.gln = gln
    own = ids.get("supplier_specific") or ids.get("buyer_specific")
    party.customer_ref = own[0] if own else None
    address = _child(element, "ADDRESS")
    if address is not None:
        party.name = _text(address, "NAME") or None
        party.street = _text(address, "STREET") or None
        party.street2 = _text(address, "NAME2") or _text(address, "ADDRESS_REMARKS") or None
        party.zip = _text(address, "ZIP") or None
        party.city = _text(address, "CITY") or None
        party.country_code = (
            _text(address, "COUNTRY_CODED") or _text(address, "COUNTRY")
        ).upper()[:2] or None
        party.email = _text(address, "EMAIL") or None
        party.phone = _text(address, "PHONE") or None
    return party, {value for value, _node in ids.values()}


def _order(root):
    info = _child(root, "ORDER_HEADER", "ORDER_INFO")
    if info is None:
        raise IntakeError(
            _lt("ORDER_HEADER/ORDER_INFO is missing."), location=f"line {root.sourceline}"
        )
    ref = _text(info, "ORDER_ID")
    if not ref:
        raise IntakeError(_lt("ORDER_ID is missing or empty."), location=_loc(info))
    parties = {}
    by_id = {}
    for element in _children(_child(info, "PARTIES"), "PARTY"):
        party, ids = _party(element, ref)
        for role in _children(element, "PARTY_ROLE"):
            parties.setdefault(_text(role).lower(), party)
        for value in ids:
            by_id.setdefault(value, party)
    references = _child(info, "ORDER_PARTIES_REFERENCE")
    buyer = parties.get("buyer") or by_id.get(_text(references, "BUYER_IDREF"))
    shipping = parties.get("delivery") or by_id.get(
        _text(references, "SHIPMENT_PARTIES_REFERENCE", "DELIVERY_IDREF")
    )
    if buyer is None:
        raise IntakeError(
            _lt("Order %(ref)s names no buyer (PARTY_ROLE buyer or BUYER_IDREF).", ref=ref),
            ref=ref,
            location=_loc(info),
        )
    delivery = _child(info, "DELIVERY_DATE")
    order = OrderDraft(
        external_ref=ref,
        partner=buyer,
        shipping=shipping if shipping is not buyer else None,
        currency=_text(info, "CURRENCY").upper() or None,
        order_date=_datetime(_child(info, "ORDER_DATE"), ref),
        requested_date=_datetime(_child(delivery, "DELIVERY_START_DATE"), ref)
        if delivery is not None
        else None,
        note="\n".join(_text(r) for r in _children(info, "REMARKS") if _text(r)) or None,
    )
    items = _children(_child(root, "ORDER_ITEM_LIST"), "ORDER_ITEM")
    for item in items:
        order.lines.append(_line(item, ref))
    if not order.lines:
        raise IntakeError(
            _lt("Order %(ref)s has no ORDER_ITEM.", ref=ref), ref=ref, location=_loc(root)
        )
    total = _child(root, "ORDER_SUMMARY", "TOTAL_ITEM_NUM")
    if total is not None and _decimal(total, ref) != len(order.lines):
        raise IntakeError(
            _lt(
                "TOTAL_ITEM_NUM says %(count)s but the order has %(found)s items.",
                count=_text(total),
                found=len(order.lines),
            ),
            ref=ref,
            location=_loc(total),
        )
    return order


def _line(item, ref):
    product = _child(item, "PRODUCT_ID")
    line = LineDraft(quantity=None, line_ref=_text(item, "LINE_ITEM_ID") or None)
    if product is not None:
        line.sku = _text(product, "SUPPLIER_PID") or None
        line.customer_code = _text(product, "BUYER_PID") or None
        line.description = _text(product, "DESCRIPTION_SHORT") or None
        for pid in _children(product, "INTERNATIONAL_PID"):
            if (pid.get("type") or "gtin").strip().lower() in GTIN_TYPES and _text(pid):
                if not is_valid_gs1(_text(pid)):
                    raise IntakeError(
                        _lt("EAN %(ean)s has a wrong length or check digit.", ean=_text(pid)),
                        ref=ref,
                        location=_loc(pid),
                    )
                line.ean = line.ean or _text(pid)
    if not (line.ean or line.sku or line.customer_code):
        raise IntakeError(
            _lt(
                "Item %(line)s names no product (SUPPLIER_PID, INTERNATIONAL_PID, BUYER_PID).",
                line=line.line_ref or "?",
            ),
            ref=ref,
            location=_loc(item),
        )
    quantity_node = _child(item, "QUANTITY")
    if quantity_node is None:
        raise IntakeError(
            _lt("Item %(line)s has no QUANTITY.", line=line.line_ref or "?"),
            ref=ref,
            location=_loc(item),
        )
    line.quantity = _decimal(quantity_node, ref)
    if line.quantity <= 0 or line.quantity > MAX_QUANTITY:
        raise IntakeError(
            _lt(
                "Quantity %(qty)s of line %(line)s is outside 0 < quantity ≤ %(max)s.",
                qty=_text(quantity_node),
                line=line.line_ref or "?",
                max=MAX_QUANTITY,
            ),
            ref=ref,
            location=_loc(quantity_node),
        )
    price = _child(item, "PRODUCT_PRICE_FIX", "PRICE_AMOUNT")
    if price is not None:
        line.unit_price = _decimal(price, ref)
        basis = _child(item, "PRODUCT_PRICE_FIX", "PRICE_QUANTITY")
        if basis is not None and _decimal(basis, ref) > 0:
            line.unit_price = line.unit_price / _decimal(basis, ref)
    return line
