"""The data every channel parser produces, and the one error type they raise."""

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal

from odoo.tools.translate import LazyGettext, LazyTranslate

_lt = LazyTranslate(__name__)


@dataclass
class PartyDraft:
    """A customer or delivery party as the channel named it; the mapping finds the partner
    by ``gln``, then ``customer_ref`` (our customer number), then ``email``."""

    gln: str | None = None
    customer_ref: str | None = None
    email: str | None = None
    name: str | None = None
    street: str | None = None
    street2: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None
    phone: str | None = None


@dataclass
class LineDraft:
    """One ordered item; the mapping finds the product by ``ean``, then ``sku`` (our default
    code), then ``customer_code`` (the customer's own product code)."""

    quantity: Decimal
    ean: str | None = None
    sku: str | None = None
    customer_code: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    line_ref: str | None = None


@dataclass
class OrderDraft:
    """One order of a payload. A payload (JSON batch, EDIFACT interchange, CSV file) may
    hold several; ``index`` is the position in it (0-based)."""

    external_ref: str
    partner: PartyDraft
    lines: list[LineDraft] = field(default_factory=list)
    shipping: PartyDraft | None = None
    currency: str | None = None
    order_date: datetime | None = None
    requested_date: datetime | None = None
    note: str | None = None
    fulfilment_mode: str | None = None  # omni_order FULFILMENT_MODES code
    pickup_store_ref: str | None = None
    index: int = 0

    def to_json(self):
        """JSON-safe dict (Decimals as strings, datetimes in ISO format)."""

        def conv(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        return conv(asdict(self))


class IntakeError(Exception):
    """Input a parser or the mapping cannot accept.

    ``message`` is a lazy translated term (``_lt("... %(x)s", x=...)``) so that the reason is
    shown in the reader's language, not the language of whoever sent the payload; store it
    with ``to_json()`` and show it with ``IntakeError.render(stored, lang)``. Parsers write the
    literal inline at the raise, so that the term is extracted for translation:
    ``raise IntakeError(_lt("Unknown segment %(tag)s", tag=tag), location="line 4")``.
    ``ref`` names the order of a payload it concerns (None: the whole payload), ``location``
    a line, segment or field (e.g. "line 3", "LIN+2").
    """

    def __init__(self, message: LazyGettext, ref=None, location=None):
        self.message = message
        self.ref = ref
        self.location = location
        super().__init__(message._source)

    def __str__(self):
        return self.message._translate()

    def to_json(self):
        return json.dumps(
            {
                "source": self.message._source,
                "args": self.message._args,
                "ref": self.ref,
                "location": self.location,
            },
            default=str,
        )

    @staticmethod
    def render(stored, lang="en_US"):
        """The stored error in ``lang`` (the viewer's language)."""
        data = json.loads(stored)
        args = data.get("args") or {}
        kwargs = args if isinstance(args, dict) else {}
        positional = tuple(args) if isinstance(args, list) else ()
        text = LazyGettext(data["source"], *positional, _module="omni_order", **kwargs)._translate(
            lang
        )
        if data.get("location"):
            text = f"{data['location']}: {text}"
        return text


def check_size(data, limit):
    """Refuse an empty payload or one above ``limit`` bytes, before any parsing."""
    if not data:
        raise IntakeError(_lt("The payload is empty."))
    if len(data) > limit:
        raise IntakeError(
            _lt(
                "The payload is %(size)s bytes; the limit is %(limit)s bytes.",
                size=len(data),
                limit=limit,
            )
        )
