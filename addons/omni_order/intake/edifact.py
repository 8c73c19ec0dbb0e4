"""EDIFACT ``ORDERS`` (D.96A, EANCOM 2002 ``EAN008``) to ``OrderDraft``, read with pydifact.

Decisions:

* The charset is the one UNB declares (``UNOA``/``UNOB`` ASCII, ``UNOC`` ISO-8859-1, ``UNOD``
  ISO-8859-2 … ``UNOK`` ISO-8859-9, ``UNOW`` UTF-8). Bytes that are not text in that charset
  (C1 control bytes such as Windows-1252 quotes, UTF-8 sequences in a Latin-1 interchange) are
  a "wrong charset" error, never decoded by guess.
* An interchange is one unit: a broken message (truncated, segment count wrong, no buyer,
  a line without quantity) rejects the whole interchange, as an EDI ``CONTRL`` would. Each
  ``UNH``…``UNT`` message becomes one ``OrderDraft`` (``index`` = its position).
* ``BGM`` 1001 must be an order (220 order, 224 rush order, 226 call-off order); 1225 message
  function 9 (original), 7 (duplicate), 31 (copy) and 43 (additional transmission) create the
  order once (the intake's unique channel + reference catches re-sends). 1 (cancellation),
  3 (deletion), 4 (change) and 5 (replace) are refused with a reason: an EDI message never
  changes an existing order behind customer service's back.
* ``NAD`` ``BY`` is the customer, ``DP`` (or ``ST``) the delivery party; C082 with agency 9 is
  a GLN (check digit verified), agency 91 our customer number. ``IV``/``SU`` are not mapped.
* ``LIN`` item number with type ``SRV``/``EN`` is the EAN (check digit verified); ``PIA``
  ``SA`` is our SKU, ``IN``/``BP`` the buyer's code; ``QTY+21`` the ordered quantity; ``PRI``
  ``AAA`` (net) wins over ``AAB`` (gross); a price basis (5284) divides the price.
* Segments an order does not need (``RFF``, ``MOA``, ``TAX``, ``ALC``, ``PAC``, ``TDT``, ``LOC``…)
  are read by the library and ignored.

Locations are ``segment N (TAG)``, N counted from the start of the file (``UNA`` = 1).
"""

import re
import warnings
from datetime import datetime
from decimal import Decimal, InvalidOperation

from pydifact.exceptions import EDISyntaxError, MissingImplementationWarning
from pydifact.parser import Parser
from pydifact.segmentcollection import Interchange
from pydifact.segments import SegmentFactory

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, LineDraft, OrderDraft, PartyDraft, check_size
from .gs1 import is_valid_gln, is_valid_gs1
from .limits import MAX_PAYLOAD_BYTES, MAX_QUANTITY

_lt = LazyTranslate(__name__)

# pydifact ships no directory XML for D.96A or the service segments: its optional XML validation
# can only warn. Filtered once at import (catch_warnings() is not thread-safe in a server).
warnings.filterwarnings("ignore", category=MissingImplementationWarning)

# ISO 9735 syntax identifiers (0001) and the Python codec of each.
CHARSETS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso-8859-1",
    "UNOD": "iso-8859-2",
    "UNOE": "iso-8859-5",
    "UNOF": "iso-8859-7",
    "UNOG": "iso-8859-3",
    "UNOH": "iso-8859-4",
    "UNOI": "iso-8859-6",
    "UNOJ": "iso-8859-8",
    "UNOK": "iso-8859-9",
    "UNOW": "utf-8",
}
ORDER_DOCUMENTS = {"220", "224", "226"}
NEW_ORDER_FUNCTIONS = {"9", "7", "31", "43"}
CHANGE_FUNCTIONS = {"1", "3", "4", "5"}
DATE_FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S", "101": "%y%m%d"}
EAN_TYPES = {"SRV", "EN", "EAN", "UP"}
BUYER_CODE_TYPES = {"IN", "BP"}
BUYER_PARTIES = {"BY"}
DELIVERY_PARTIES = {"DP", "ST"}


def parse(data, limit=MAX_PAYLOAD_BYTES, **options):
    """The orders of one EDIFACT interchange (``bytes``), one per ORDERS message."""
    check_size(data, limit)
    text = _decode(data)
    segments = _segments(text)
    interchange = _interchange(segments)
    messages = _split(segments, interchange)
    return [_order(message, index) for index, message in enumerate(messages)]


# ---------------------------------------------------------------------------------------------
# Bytes to text: the charset UNB declares
# ---------------------------------------------------------------------------------------------
def _service_chars(head):
    """(component separator, data separator, release char, terminator) of a latin-1 head."""
    if head.startswith("UNA") and len(head) >= 9:
        return head[3], head[4], head[6], head[8]
    return ":", "+", "?", "'"


def _decode(data):
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark before UNA/UNB
    head = data[:1024].decode("latin-1").lstrip(" \r\n\t")
    comp, sep, _release, _term = _service_chars(head)
    match = re.search(rf"UNB{re.escape(sep)}([A-Z]{{4}}){re.escape(comp)}(\d)", head)
    if not match:
        raise IntakeError(
            _lt("This is not an EDIFACT interchange: no UNB header with a syntax identifier."),
            location="segment 1",
        )
    syntax = match.group(1)
    codec = CHARSETS.get(syntax)
    if not codec:
        raise IntakeError(
            _lt(
                "The syntax identifier %(syntax)s (character set) is not supported.", syntax=syntax
            ),
            location="UNB",
        )
    bad = None
    if codec.startswith("iso-8859"):
        # C1 control bytes are no text in any ISO-8859 part: Windows-1252 quotes or the euro
        # sign, or the second byte of a UTF-8 umlaut.
        c1 = re.search(rb"[\x80-\x9f]", data)
        bad = c1.start() if c1 else None
        high = re.search(rb"[\x80-\xff]", data)
        if bad is None and high and _is_utf8(data):
            bad = high.start()  # valid multi-byte UTF-8 in an 8-bit interchange: mis-declared
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = exc.start
    if bad is not None:
        byte = format(data[bad], "02X")  # outside _lt(): babel cannot read f-strings there
        raise IntakeError(
            _lt(
                "Wrong charset: byte %(offset)s (0x%(byte)s) is not valid in the declared "
                "character set %(syntax)s (%(codec)s).",
                offset=bad,
                byte=byte,
                syntax=syntax,
                codec=codec.upper(),
            ),
            location=_location_at(data, bad, head),
        )
    return text.lstrip("\ufeff \r\n\t")


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _location_at(data, offset, head):
    """``segment N (TAG)`` of the byte at ``offset`` (for charset errors, before parsing)."""
    _comp, _sep, release, term = _service_chars(head)
    prefix = data[:offset].decode("latin-1").lstrip(" \r\n\t")
    pieces = re.split(rf"(?<!{re.escape(release)}){re.escape(term)}", prefix)
    tag = pieces[-1].strip()[:3]
    return f"segment {len(pieces)} ({tag})"


# ---------------------------------------------------------------------------------------------
# Text to segments (pydifact) and the envelope checks
# ---------------------------------------------------------------------------------------------
class _SegmentFactory(SegmentFactory):
    """pydifact's segments without its per-segment XML validation (no directory to validate
    D.96A against; this module checks what an order needs)."""

    @staticmethod
    def create_segment(name, *elements, validate=True, **kwargs):
        return SegmentFactory.create_segment(name, *elements, validate=False, **kwargs)


def _segments(text):
    parser = Parser(factory=_SegmentFactory())
    segments = []
    try:
        for segment in parser.parse(text):
            segments.append(segment)
    except EDISyntaxError as exc:
        if "Unexpected end" in str(exc):
            raise _truncated(segments) from exc
        raise IntakeError(
            _lt(
                "The interchange is not valid EDIFACT after segment %(num)s: %(detail)s",
                num=len(segments),
                detail=str(exc),
            ),
            location=f"segment {len(segments) + 1}",
        ) from exc
    release, term = parser.characters.escape_character, parser.characters.segment_terminator
    if segments and segments[0].tag == "UNA":
        release, term = segments[0].elements[0][3], segments[0].elements[0][5]
    tail = text.rstrip(" \r\n\t")
    trailing_releases = len(tail[:-1]) - len(tail[:-1].rstrip(release))
    if not tail.endswith(term) or trailing_releases % 2:
        # cut right after a separator: the library drops the unfinished segment
        raise _truncated(segments)
    if not segments or segments[-1].tag == "UNA":
        raise IntakeError(_lt("The interchange holds no segments."), location="segment 1")
    return segments


def _truncated(segments):
    last = segments[-1].tag if segments else "-"
    return IntakeError(
        _lt(
            "The interchange is truncated: it breaks off inside segment %(num)s, after "
            "segment %(last_num)s (%(last)s).",
            num=len(segments) + 1,
            last_num=len(segments),
            last=last,
        ),
        location=f"segment {len(segments) + 1}",
    )


def _interchange(segments):
    if segments[0].tag not in ("UNA", "UNB") or (
        segments[0].tag == "UNA" and (len(segments) < 2 or segments[1].tag != "UNB")
    ):
        raise IntakeError(
            _lt("An interchange must start with UNA or UNB, not %(tag)s.", tag=segments[0].tag),
            location="segment 1",
        )
    try:
        return Interchange.from_segments(segments)
    except (EDISyntaxError, ValueError, IndexError, AttributeError) as exc:
        raise IntakeError(
            _lt("The interchange header UNB is not valid: %(detail)s", detail=str(exc)),
            location="UNB",
        ) from exc


def _split(segments, interchange):
    """[(positioned segments of one UNH…UNT message)], with UNT and UNZ control counts checked."""
    messages, current, unz, groups = [], None, None, 0
    for pos, segment in enumerate(segments, 1):
        tag = segment.tag
        loc = f"segment {pos} ({tag})"
        if unz is not None:
            raise IntakeError(
                _lt("Segment %(tag)s follows the interchange trailer UNZ.", tag=tag),
                location=loc,
            )
        if tag in ("UNA", "UNB"):
            if pos > 2:
                raise IntakeError(
                    _lt("A second interchange header %(tag)s inside the interchange.", tag=tag),
                    location=loc,
                )
        elif tag in ("UNG", "UNE"):
            groups += tag == "UNG"
        elif tag == "UNH":
            if current is not None:
                raise _no_unt(current, pos)
            current = [(pos, segment)]
        elif tag == "UNT":
            if current is None:
                raise IntakeError(_lt("UNT without a message header UNH."), location=loc)
            current.append((pos, segment))
            _check_unt(current)
            messages.append(current)
            current = None
        elif tag == "UNZ":
            if current is not None:
                raise _no_unt(current, pos)
            unz = (pos, segment)
        elif current is None:
            raise IntakeError(
                _lt("Segment %(tag)s stands outside of a UNH…UNT message.", tag=tag),
                location=loc,
            )
        else:
            current.append((pos, segment))
    if current is not None:
        raise _no_unt(current, len(segments) + 1)
    _check_unz(unz, segments, interchange, groups or len(messages))
    return messages


def _check_unz(unz, segments, interchange, expected):
    if unz is None:
        raise IntakeError(
            _lt(
                "The interchange is truncated: the trailer UNZ is missing after segment "
                "%(num)s (%(tag)s).",
                num=len(segments),
                tag=segments[-1].tag,
            ),
            location=f"segment {len(segments) + 1}",
        )
    pos, segment = unz
    count = _comp(segment, 0)
    if count != str(expected):
        raise IntakeError(
            _lt(
                "UNZ counts %(count)s messages but the interchange holds %(found)s.",
                count=count,
                found=expected,
            ),
            location=f"segment {pos} (UNZ)",
        )
    if _comp(segment, 1) != _text(interchange.control_reference):
        raise IntakeError(
            _lt(
                "UNZ control reference %(unz)s differs from UNB control reference %(unb)s.",
                unz=_comp(segment, 1),
                unb=_text(interchange.control_reference),
            ),
            location=f"segment {pos} (UNZ)",
        )
    if not expected:
        raise IntakeError(_lt("The interchange holds no message."), location=f"segment {pos}")


def _no_unt(current, pos):
    start, unh = current[0]
    return IntakeError(
        _lt(
            "Message %(ref)s (UNH at segment %(start)s) has no trailer UNT: the interchange "
            "is truncated or two messages run together.",
            ref=_comp(unh, 0),
            start=start,
        ),
        location=f"segment {pos}",
    )


def _check_unt(current):
    (_start, unh), (pos, unt) = current[0], current[-1]
    count = _comp(unt, 0)
    if count != str(len(current)):
        raise IntakeError(
            _lt(
                "UNT counts %(count)s segments but message %(ref)s holds %(found)s: segments "
                "were lost or added.",
                count=count,
                ref=_comp(unh, 0),
                found=len(current),
            ),
            location=f"segment {pos} (UNT)",
        )
    if _comp(unt, 1) != _comp(unh, 0):
        raise IntakeError(
            _lt(
                "UNT reference %(unt)s differs from UNH reference %(unh)s.",
                unt=_comp(unt, 1),
                unh=_comp(unh, 0),
            ),
            location=f"segment {pos} (UNT)",
        )


# ---------------------------------------------------------------------------------------------
# One ORDERS message to one OrderDraft
# ---------------------------------------------------------------------------------------------
def _text(value):
    return (value[0] if isinstance(value, list) else value or "").strip()


def _comp(segment, index, component=0):
    """Component ``component`` of data element ``index`` ("" when absent)."""
    elements = segment.elements
    if index >= len(elements):
        return ""
    value = elements[index]
    if isinstance(value, list):
        return value[component].strip() if component < len(value) else ""
    return (value or "").strip() if component == 0 else ""


def _comps(segment, index):
    elements = segment.elements
    if index >= len(elements):
        return []
    value = elements[index]
    return [v.strip() for v in value] if isinstance(value, list) else [(value or "").strip()]


def _decimal(value, what, ref, loc):
    try:
        number = Decimal(value.replace(",", "."))
    except (InvalidOperation, AttributeError):
        number = None
    if number is None or not number.is_finite():
        raise IntakeError(
            _lt("%(what)s %(value)s is not a number.", what=what, value=value or "''"),
            ref=ref,
            location=loc,
        )
    return number


def _date(segment, ref, loc):
    value, fmt = _comp(segment, 0, 1), _comp(segment, 0, 2)
    if fmt == "718":  # a period CCYYMMDD-CCYYMMDD: its start
        value, fmt = value[:8], "102"
    if not fmt:
        fmt = {8: "102", 12: "203", 14: "204"}.get(len(value), "")
    try:
        return datetime.strptime(value, DATE_FORMATS[fmt])
    except (KeyError, ValueError):
        raise IntakeError(
            _lt(
                "Date %(value)s does not match the date format %(format)s.",
                value=value or "''",
                format=fmt or "-",
            ),
            ref=ref,
            location=loc,
        ) from None


def _party(segment, ref, loc):
    ident, agency = _comp(segment, 1, 0), _comp(segment, 1, 2)
    party = PartyDraft()
    if ident:
        if agency == "9" or (not agency and len(ident) == 13 and ident.isdigit()):
            if not is_valid_gln(ident):
                raise IntakeError(
                    _lt("GLN %(gln)s is not valid (13 digits with a check digit).", gln=ident),
                    ref=ref,
                    location=loc,
                )
            party.gln = ident
        else:
            party.customer_ref = ident
    name = " ".join(v for v in _comps(segment, 3)[:5] if v)
    if not name:
        name = next((v for v in _comps(segment, 2) if v), "")
    street = _comps(segment, 4)
    party.name = name or None
    party.street = street[0] if street and street[0] else None
    party.street2 = " ".join(v for v in street[1:] if v) or None
    party.city = _comp(segment, 5) or None
    party.zip = _comp(segment, 7) or None
    party.country_code = _comp(segment, 8).upper() or None
    return party


def _item_code(line, code, kind, ref, loc):
    """Put an item number of type ``kind`` (7143) on ``line``."""
    if not code:
        return
    if kind in EAN_TYPES:
        if not is_valid_gs1(code):
            raise IntakeError(
                _lt("EAN %(ean)s has a wrong length or check digit.", ean=code),
                ref=ref,
                location=loc,
            )
        line.ean = line.ean or code
    elif kind == "SA":
        line.sku = line.sku or code
    elif kind in BUYER_CODE_TYPES:
        line.customer_code = line.customer_code or code


class _OrderBuilder:
    def __init__(self, index):
        self.index = index
        self.ref = None
        self.values = {"note": []}
        self.parties = {}
        self.last_party = None
        self.lines = []
        self.line = None
        self.prices = {}
        self.counts = {}

    def feed(self, pos, segment):
        tag = segment.tag
        handler = getattr(self, f"_seg_{tag.lower()}", None)
        if handler:
            handler(segment, f"segment {pos} ({tag})")

    # header ----------------------------------------------------------------------------
    def _seg_bgm(self, segment, loc):
        document, self.ref, function = _comp(segment, 0), _comp(segment, 1), _comp(segment, 2)
        if not self.ref:
            raise IntakeError(_lt("BGM carries no order number."), location=loc)
        if document not in ORDER_DOCUMENTS:
            raise IntakeError(
                _lt(
                    "Document type %(code)s is not an order (220, 224 or 226 expected).",
                    code=document or "''",
                ),
                ref=self.ref,
                location=loc,
            )
        function = function or "9"
        if function in CHANGE_FUNCTIONS:
            raise IntakeError(
                _lt(
                    "Message function %(code)s changes or cancels an order: EDI changes are not "
                    "applied automatically, customer service must handle order %(ref)s.",
                    code=function,
                    ref=self.ref,
                ),
                ref=self.ref,
                location=loc,
            )
        if function not in NEW_ORDER_FUNCTIONS:
            raise IntakeError(
                _lt("Message function %(code)s is not supported.", code=function),
                ref=self.ref,
                location=loc,
            )

    def _seg_dtm(self, segment, loc):
        if self.line is not None:
            return  # line-level dates: the order's requested date rules
        qualifier = _comp(segment, 0, 0)
        if qualifier == "137":
            self.values["order_date"] = _date(segment, self.ref, loc)
        elif qualifier in ("2", "64") and "requested_date" not in self.values:
            self.values["requested_date"] = _date(segment, self.ref, loc)

    def _seg_ftx(self, segment, loc):
        text = " ".join(v for v in _comps(segment, 3) if v)
        if text:
            prefix = f"[{self.line.line_ref}] " if self.line is not None else ""
            self.values["note"].append(prefix + text)

    def _seg_nad(self, segment, loc):
        qualifier = _comp(segment, 0)
        party = _party(segment, self.ref, loc)
        self.last_party = party
        if qualifier in BUYER_PARTIES or qualifier in DELIVERY_PARTIES:
            self.parties.setdefault(qualifier, party)

    def _seg_com(self, segment, loc):
        if self.last_party is None or self.line is not None:
            return
        value, kind = _comp(segment, 0, 0), _comp(segment, 0, 1)
        if kind == "EM":
            self.last_party.email = self.last_party.email or value
        elif kind == "TE":
            self.last_party.phone = self.last_party.phone or value

    def _seg_cux(self, segment, loc):
        self.values["currency"] = _comp(segment, 0, 1).upper() or None

    # lines -----------------------------------------------------------------------------
    def _seg_lin(self, segment, loc):
        self._close_line()
        self.last_party = None
        self.line = LineDraft(quantity=None, line_ref=_comp(segment, 0) or None)
        self.line_loc = loc
        self.prices = {}
        _item_code(self.line, _comp(segment, 2, 0), _comp(segment, 2, 1), self.ref, loc)

    def _seg_pia(self, segment, loc):
        if self.line is None:
            return
        for index in range(1, len(segment.elements)):
            _item_code(
                self.line, _comp(segment, index, 0), _comp(segment, index, 1), self.ref, loc
            )

    def _seg_imd(self, segment, loc):
        if self.line is not None and not self.line.description:
            text = " ".join(v for v in _comps(segment, 2)[3:5] if v)
            self.line.description = text or None

    def _seg_qty(self, segment, loc):
        if self.line is None or _comp(segment, 0, 0) != "21":
            return
        quantity = _decimal(_comp(segment, 0, 1), "QTY", self.ref, loc)
        if quantity <= 0 or quantity > MAX_QUANTITY:
            raise IntakeError(
                _lt(
                    "Quantity %(qty)s of line %(line)s is outside 0 < quantity ≤ %(max)s.",
                    qty=quantity,
                    line=self.line.line_ref,
                    max=MAX_QUANTITY,
                ),
                ref=self.ref,
                location=loc,
            )
        self.line.quantity = quantity

    def _seg_pri(self, segment, loc):
        if self.line is None:
            return
        qualifier = _comp(segment, 0, 0)
        if qualifier not in ("AAA", "AAB"):
            return
        price = _decimal(_comp(segment, 0, 1), "PRI", self.ref, loc)
        basis = _comp(segment, 0, 4)
        if basis:
            basis = _decimal(basis, "PRI", self.ref, loc)
            if basis > 0:
                price = price / basis
        self.prices.setdefault(qualifier, price)

    def _seg_cnt(self, segment, loc):
        self.counts[_comp(segment, 0, 0)] = (_comp(segment, 0, 1), loc)

    def _close_line(self):
        line = self.line
        if line is None:
            return
        if line.quantity is None:
            raise IntakeError(
                _lt("Line %(line)s has no ordered quantity (QTY+21).", line=line.line_ref),
                ref=self.ref,
                location=self.line_loc,
            )
        if not (line.ean or line.sku or line.customer_code):
            raise IntakeError(
                _lt(
                    "Line %(line)s names no product: no EAN in LIN, no SA/IN code in PIA.",
                    line=line.line_ref,
                ),
                ref=self.ref,
                location=self.line_loc,
            )
        line.unit_price = self.prices.get("AAA", self.prices.get("AAB"))
        self.lines.append(line)
        self.line = None

    def result(self, unh_loc):
        self._close_line()
        if not self.ref:
            raise IntakeError(_lt("The message has no BGM order number."), location=unh_loc)
        buyer = self.parties.get("BY")
        if buyer is None:
            raise IntakeError(
                _lt("Order %(ref)s names no buyer (NAD+BY).", ref=self.ref),
                ref=self.ref,
                location=unh_loc,
            )
        if not self.lines:
            raise IntakeError(
                _lt("Order %(ref)s has no lines (LIN).", ref=self.ref),
                ref=self.ref,
                location=unh_loc,
            )
        self._check_counts()
        note = "\n".join(self.values.pop("note"))
        return OrderDraft(
            external_ref=self.ref,
            partner=buyer,
            shipping=self.parties.get("DP") or self.parties.get("ST"),
            lines=self.lines,
            note=note or None,
            index=self.index,
            **self.values,
        )

    def _check_counts(self):
        for qualifier, found in (
            ("2", len(self.lines)),
            ("1", sum(line.quantity for line in self.lines)),
        ):
            if qualifier not in self.counts:
                continue
            value, loc = self.counts[qualifier]
            count = _decimal(value, "CNT", self.ref, loc)
            if count != found:
                raise IntakeError(
                    _lt(
                        "CNT+%(qualifier)s says %(count)s but the order has %(found)s.",
                        qualifier=qualifier,
                        count=value,
                        found=found,
                    ),
                    ref=self.ref,
                    location=loc,
                )


def _order(message, index):
    (pos, unh) = message[0]
    unh_loc = f"segment {pos} (UNH)"
    kind = _comp(unh, 1, 0)
    if kind != "ORDERS":
        raise IntakeError(
            _lt(
                "Message %(ref)s is of type %(type)s, not ORDERS.",
                ref=_comp(unh, 0),
                type=kind or "''",
            ),
            location=unh_loc,
        )
    builder = _OrderBuilder(index)
    for pos, segment in message[1:-1]:
        builder.feed(pos, segment)
    return builder.result(unh_loc)
