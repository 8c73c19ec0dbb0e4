"""JSON orders (REST endpoint, JSON files and e-mail bodies) to ``OrderDraft``.

The body is ``{"orders": [order, ...]}``; an order has the keys of ``OrderDraft.to_json()``
(documented in readme/USAGE.md), so a stored, corrected draft is read back by the same code
(``draft_from_dict``). Plain Python, no ORM.
"""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, LineDraft, OrderDraft, PartyDraft, check_size

_lt = LazyTranslate(__name__)

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
PARTY_KEYS = (
    "gln",
    "customer_ref",
    "email",
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "country_code",
    "phone",
)
LINE_TEXT_KEYS = ("ean", "sku", "customer_code", "description", "line_ref")
ORDER_TEXT_KEYS = ("currency", "note", "fulfilment_mode", "pickup_store_ref")


def parse(data, max_size=DEFAULT_MAX_SIZE, **options):
    """All orders of a JSON payload; the first broken order raises ``IntakeError``.

    Channels that accept part of a batch use ``parse_each``."""
    results = parse_each(data, max_size=max_size)
    for result in results:
        if isinstance(result.draft, IntakeError):
            raise result.draft
    return [result.draft for result in results]


class Entry:
    """One order of a payload: ``draft`` is an ``OrderDraft`` or the ``IntakeError`` that
    explains why it could not be read; ``raw`` the order as received (dict or value)."""

    __slots__ = ("draft", "raw", "ref")

    def __init__(self, ref, draft, raw):
        self.ref = ref
        self.draft = draft
        self.raw = raw


def parse_each(data, max_size=DEFAULT_MAX_SIZE):
    """Every order of the payload as an ``Entry``; raises ``IntakeError`` only when the
    payload as a whole cannot be read (size, encoding, JSON syntax, no ``orders`` list)."""
    check_size(data, max_size)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError(
            _lt("The payload is not UTF-8 text (byte %(pos)s).", pos=exc.start)
        ) from exc
    try:
        body = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            _lt("The payload is not valid JSON: %(reason)s", reason=exc.msg),
            location=f"line {exc.lineno}, column {exc.colno}",
        ) from exc
    orders = body.get("orders") if isinstance(body, dict) else None
    if not isinstance(orders, list):
        raise IntakeError(_lt('The payload needs an "orders" list.'))
    entries = []
    for index, raw in enumerate(orders):
        ref = _text(raw.get("external_ref")) if isinstance(raw, dict) else None
        try:
            draft = draft_from_dict(raw, index=index)
        except IntakeError as error:
            draft = error
        entries.append(Entry(ref, draft, raw))
    return entries


def draft_from_dict(raw, index=0):
    """An ``OrderDraft`` from one order dict (as received, or as stored and corrected)."""
    where = f"orders[{index}]"
    if not isinstance(raw, dict):
        raise IntakeError(_lt("An order must be a JSON object."), location=where)
    ref = _text(raw.get("external_ref"))
    if not ref:
        raise IntakeError(_lt("The order has no external_ref."), location=where)
    lines_raw = raw.get("lines")
    if not isinstance(lines_raw, list) or not lines_raw:
        raise IntakeError(_lt("The order has no lines."), ref=ref, location=where)
    lines = [_line(line, ref, f"{where}.lines[{i}]") for i, line in enumerate(lines_raw)]
    partner = _party(raw.get("partner"), ref, f"{where}.partner")
    if partner is None:
        raise IntakeError(_lt("The order has no partner."), ref=ref, location=where)
    return OrderDraft(
        external_ref=ref,
        partner=partner,
        lines=lines,
        shipping=_party(raw.get("shipping"), ref, f"{where}.shipping"),
        order_date=_date(raw.get("order_date"), ref, f"{where}.order_date"),
        requested_date=_date(raw.get("requested_date"), ref, f"{where}.requested_date"),
        index=index,
        **{key: _text(raw.get(key)) for key in ORDER_TEXT_KEYS},
    )


def _text(value):
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _party(raw, ref, where):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise IntakeError(_lt("A party must be a JSON object."), ref=ref, location=where)
    return PartyDraft(**{key: _text(raw.get(key)) for key in PARTY_KEYS})


def _decimal(value, ref, where):
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise IntakeError(
            _lt("%(value)s is not a number.", value=repr(value)), ref=ref, location=where
        ) from None
    if not number.is_finite():
        raise IntakeError(
            _lt("%(value)s is not a number.", value=repr(value)), ref=ref, location=where
        )
    return number


def _line(raw, ref, where):
    if not isinstance(raw, dict):
        raise IntakeError(_lt("A line must be a JSON object."), ref=ref, location=where)
    quantity = _decimal(raw.get("quantity"), ref, f"{where}.quantity")
    if quantity <= 0:
        raise IntakeError(
            _lt("The quantity must be positive, not %(qty)s.", qty=quantity),
            ref=ref,
            location=where,
        )
    price = raw.get("unit_price")
    return LineDraft(
        quantity=quantity,
        unit_price=None if price is None else _decimal(price, ref, f"{where}.unit_price"),
        **{key: _text(raw.get(key)) for key in LINE_TEXT_KEYS},
    )


def _date(value, ref, where):
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise IntakeError(
            _lt("%(value)s is not an ISO date.", value=repr(value)), ref=ref, location=where
        ) from None
