"""Which parser reads which payload: format codes, detection and dispatch. Plain Python."""

import importlib

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, OrderDraft

_lt = LazyTranslate(__name__)

FORMATS = [
    ("json", "JSON"),
    ("edifact", "EDIFACT ORDERS"),
    ("opentrans", "openTRANS XML"),
    ("csv", "CSV / Excel"),
]

# format code -> module of this package exposing parse(data, **options)
PARSERS = {
    "json": "json_order",
    "edifact": "edifact",
    "opentrans": "opentrans",
    "csv": "table",
}

EXTENSIONS = {
    "json": "json",
    "edi": "edifact",
    "edifact": "edifact",
    "ordrsp": "edifact",
    "xml": "opentrans",
    "csv": "csv",
    "txt": None,
    "xlsx": "csv",
}


def detect_name(filename):
    """The format code of a file name's extension, or None."""
    if not filename or "." not in filename:
        return None
    return EXTENSIONS.get(filename.rsplit(".", 1)[-1].lower())


def detect(data, filename=None):
    """The format code of a payload, from its file name, else from its first bytes."""
    by_name = detect_name(filename)
    if by_name:
        return by_name
    head = (data or b"")[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"UNA", b"UNB")):
        return "edifact"
    if head.startswith(b"<"):
        return "opentrans"
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"PK\x03\x04"):
        return "csv"  # an XLSX workbook
    if head:
        return "csv"
    return None


def parse(fmt, data, **options):
    """Dispatch to the parser of ``fmt``; an unknown or unavailable format is an
    ``IntakeError`` like any other unreadable payload."""
    module_name = PARSERS.get(fmt)
    if not module_name:
        raise IntakeError(_lt("Unknown payload format %(format)s.", format=repr(fmt)))
    try:
        module = importlib.import_module(f"{__package__}.{module_name}")
    except ImportError as exc:
        raise IntakeError(
            _lt("The %(format)s format cannot be read on this server.", format=fmt)
        ) from exc
    return module.parse(data, **options)


def parse_entries(fmt, data, limit):
    """Every order of the payload as a ``json_order.Entry`` (an ``OrderDraft`` or the
    ``IntakeError`` of that order): JSON and CSV/Excel accept the good orders of a batch;
    EDIFACT and openTRANS are read whole or refused whole."""
    from .json_order import Entry, parse_each  # noqa: PLC0415 (json_order imports nothing of here)

    if fmt == "json":
        return parse_each(data, max_size=limit)
    if fmt == "csv":
        from .table import parse_partial  # noqa: PLC0415

        orders, errors = parse_partial(data, limit=limit)
        entries = [Entry(d.external_ref, d, d.to_json()) for d in orders]
        entries += [Entry(e.ref, e, {"external_ref": e.ref}) for e in errors]
        return entries
    drafts = parse(fmt, data, limit=limit)
    return [Entry(d.external_ref, d, d.to_json()) for d in drafts if isinstance(d, OrderDraft)]
