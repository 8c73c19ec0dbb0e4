"""CSV and XLSX order files from small B2B customers: one row per order line.

Columns are found by their header (German or English, case, spaces and punctuation ignored;
see ``COLUMNS``). Needed: an order reference, the quantity, a customer (customer number, GLN
or e-mail) and a product (EAN, SKU or the customer's product code). Rows with the same order
reference form one order, in the order of their first row; the customer, delivery address
and date come from the order's first row.

CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1; the delimiter
(``;``, ``,`` or tab) is the one the header line uses most; CRLF and quoted newlines are
fine. Line numbers are the file's physical lines (where the row starts), header = line 1.
XLSX: the first sheet, read with openpyxl in read-only mode; line N = sheet row N.

Policy — no half orders: a bad row (missing value, quantity 0, negative or above
``MAX_QUANTITY``, a price or date that is no number or date) rejects its whole order.
``parse`` is strict and raises for the first rejected order, so that a file is imported
completely or not at all and can be retried as a whole after the fix (the intake is idempotent
per order reference). ``parse_partial`` returns the good orders and one error per rejected
order for callers that quarantine order by order.
"""

import csv
import io
import re
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, LineDraft, OrderDraft, PartyDraft, check_size
from .gs1 import is_valid_gln, is_valid_gs1
from .limits import MAX_PAYLOAD_BYTES, MAX_QUANTITY

_lt = LazyTranslate(__name__)

# field -> header aliases, compared after _key() (casefold, letters and digits only).
COLUMNS = {
    "order_ref": [
        "order ref",
        "order reference",
        "order number",
        "order no",
        "order id",
        "po number",
        "purchase order",
        "bestellnummer",
        "bestell-nr",
        "bestellung",
        "auftragsnummer",
        "auftrags-nr",
        "bestellreferenz",
    ],
    "customer_ref": [
        "customer number",
        "customer no",
        "customer id",
        "customer ref",
        "kundennummer",
        "kunden-nr",
        "kundennr",
    ],
    "gln": ["gln", "iln", "customer gln", "kunden-gln"],
    "email": ["email", "e-mail", "customer email", "mail", "e-mail-adresse"],
    "name": ["name", "customer name", "company", "customer", "kunde", "kundenname", "firma"],
    "ship_name": [
        "delivery name",
        "ship to name",
        "ship to",
        "recipient",
        "empfänger",
        "lieferempfänger",
        "lieferadresse name",
        "lieferanschrift name",
    ],
    "ship_street": ["street", "delivery street", "address", "straße", "lieferstraße", "adresse"],
    "ship_street2": ["street2", "street 2", "address line 2", "adresszusatz", "zusatz"],
    "ship_zip": ["zip", "zip code", "postcode", "postal code", "plz", "postleitzahl"],
    "ship_city": ["city", "town", "ort", "stadt", "lieferort"],
    "ship_country": ["country", "country code", "land", "ländercode", "länderkennzeichen"],
    "ean": ["ean", "gtin", "ean13", "ean code", "barcode", "ean-nummer"],
    "sku": [
        "sku",
        "article number",
        "item number",
        "product code",
        "our article number",
        "artikelnummer",
        "artikel-nr",
        "art-nr",
        "artnr",
    ],
    "customer_code": [
        "customer product code",
        "customer article number",
        "your article number",
        "customer sku",
        "kundenartikelnummer",
        "ihre artikelnummer",
        "kunden-artikelnummer",
    ],
    "description": [
        "description",
        "product",
        "product name",
        "bezeichnung",
        "artikel",
        "artikelbezeichnung",
        "beschreibung",
    ],
    "quantity": ["quantity", "qty", "menge", "anzahl", "stück", "stückzahl", "bestellmenge"],
    "unit_price": [
        "unit price",
        "price",
        "net price",
        "preis",
        "einzelpreis",
        "stückpreis",
        "nettopreis",
    ],
    "date": [
        "date",
        "delivery date",
        "requested date",
        "datum",
        "lieferdatum",
        "liefertermin",
        "wunschtermin",
        "wunschdatum",
    ],
    "currency": ["currency", "währung"],
    "note": ["note", "comment", "bemerkung", "hinweis", "kommentar"],
}
PARTNER_FIELDS = ("customer_ref", "gln", "email")
PRODUCT_FIELDS = ("ean", "sku", "customer_code")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d/%m/%Y")
MAX_XLSX_UNCOMPRESSED = 5 * MAX_PAYLOAD_BYTES


def _key(header):
    return re.sub(r"[\W_]+", "", str(header or "").casefold())


ALIASES = {_key(alias): field for field, aliases in COLUMNS.items() for alias in aliases}


def parse(data, limit=MAX_PAYLOAD_BYTES, **options):
    """The orders of a CSV or XLSX file; raises for the first order with a bad row."""
    orders, errors = parse_partial(data, limit=limit, **options)
    if errors:
        raise errors[0]
    return orders


def parse_partial(data, limit=MAX_PAYLOAD_BYTES, **options):
    """(good orders, [IntakeError per rejected order]); file-level problems still raise."""
    check_size(data, limit)
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    rows = ((number, cells) for number, cells in rows if any(_str(c) for c in cells))
    columns = _columns(rows)
    return _orders(rows, columns)


# ---------------------------------------------------------------------------------------------
# Reading rows: (line number, [cells]) one by one (streamed), header first
# ---------------------------------------------------------------------------------------------
def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a character: the last resort never fails


def _csv_rows(data):
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise IntakeError(
            _lt(
                "The file is not valid text in its declared encoding (byte %(offset)s).",
                offset=exc.start,
            ),
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise IntakeError(
            _lt("The CSV file cannot be read: %(detail)s", detail=str(exc)),
            location=f"line {start}",
        ) from exc


def _xlsx_rows(data):
    import openpyxl  # noqa: PLC0415  (only XLSX files need it)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNCOMPRESSED:
            raise IntakeError(
                _lt(
                    "The XLSX file unpacks to %(size)s bytes; the limit is %(limit)s bytes.",
                    size=unpacked,
                    limit=MAX_XLSX_UNCOMPRESSED,
                )
            )
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except IntakeError:
        raise
    except Exception as exc:  # noqa: BLE001  zip, XML and openpyxl errors alike
        raise IntakeError(
            _lt("The XLSX file cannot be read: %(detail)s", detail=str(exc) or type(exc).__name__)
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, ["" if cell is None else cell for cell in values]
    finally:
        workbook.close()


def _columns(rows):
    """The column index of each field, from the first non-empty row (consumed)."""
    first = next(rows, None)
    if first is None:
        raise IntakeError(_lt("The file holds no header line and no rows."), location="line 1")
    number, header = first
    columns = {}
    for index, title in enumerate(header):
        field = ALIASES.get(_key(title))
        if field and field not in columns:
            columns[field] = index
    missing = []
    if "order_ref" not in columns:
        missing.append("order reference / Bestellnummer")
    if "quantity" not in columns:
        missing.append("quantity / Menge")
    if not any(f in columns for f in PARTNER_FIELDS):
        missing.append("customer number / GLN / e-mail")
    if not any(f in columns for f in PRODUCT_FIELDS):
        missing.append("EAN / SKU / customer product code")
    if missing:
        raise IntakeError(
            _lt(
                "Required columns are missing: %(columns)s. Header found: %(header)s",
                columns=", ".join(missing),
                header=" | ".join(_str(c) for c in header),
            ),
            location=f"line {number}",
        )
    return columns


# ---------------------------------------------------------------------------------------------
# Rows to orders
# ---------------------------------------------------------------------------------------------
def _str(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an EAN or customer number typed into a number cell
    return str(value).strip()


def _decimal(value):
    """``value`` as a Decimal (German ``1.234,50`` and English ``1,234.50`` alike), or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _str(value).replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:  # the last one is the decimal mark
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value, loc, ref):
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        text = _str(value)
        parsed = None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for fmt in DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if parsed is None:
            raise IntakeError(
                _lt(
                    "Date %(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY).",
                    value=text,
                ),
                ref=ref,
                location=loc,
            )
    if parsed.tzinfo:  # an explicit offset: stored as UTC like every Odoo datetime
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _row_values(cells, columns):
    return {field: cells[index] if index < len(cells) else "" for field, index in columns.items()}


def _line(values, loc, ref):
    if not _str(values.get("quantity")):
        raise IntakeError(_lt("The quantity is empty."), ref=ref, location=loc)
    quantity = _decimal(values["quantity"])
    if quantity is None:
        raise IntakeError(
            _lt("Quantity %(value)s is not a number.", value=_str(values["quantity"])),
            ref=ref,
            location=loc,
        )
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise IntakeError(
            _lt(
                "Quantity %(qty)s is outside 0 < quantity ≤ %(max)s.",
                qty=_str(values["quantity"]),
                max=MAX_QUANTITY,
            ),
            ref=ref,
            location=loc,
        )
    price = None
    if _str(values.get("unit_price")):
        price = _decimal(values["unit_price"])
        if price is None:
            raise IntakeError(
                _lt("Price %(value)s is not a number.", value=_str(values["unit_price"])),
                ref=ref,
                location=loc,
            )
        if price < 0:
            raise IntakeError(
                _lt("Price %(price)s is negative.", price=_str(values["unit_price"])),
                ref=ref,
                location=loc,
            )
    if _str(values.get("date")):
        _date(values["date"], loc, ref)  # the order's date is its first row's; all must be dates
    codes = {field: _str(values.get(field)) or None for field in PRODUCT_FIELDS}
    if not any(codes.values()):
        raise IntakeError(
            _lt("The row names no product (EAN, SKU or customer product code)."),
            ref=ref,
            location=loc,
        )
    if codes["ean"] and not is_valid_gs1(codes["ean"]):
        raise IntakeError(
            _lt("EAN %(ean)s has a wrong length or check digit.", ean=codes["ean"]),
            ref=ref,
            location=loc,
        )
    return LineDraft(
        quantity=quantity,
        unit_price=price,
        description=_str(values.get("description")) or None,
        line_ref=loc.removeprefix("line "),
        **codes,
    )


def _header(values, loc, ref, index):
    partner = PartyDraft(
        customer_ref=_str(values.get("customer_ref")) or None,
        gln=_str(values.get("gln")) or None,
        email=_str(values.get("email")) or None,
        name=_str(values.get("name")) or None,
    )
    if not (partner.customer_ref or partner.gln or partner.email):
        raise IntakeError(
            _lt("The row names no customer (customer number, GLN or e-mail)."),
            ref=ref,
            location=loc,
        )
    if partner.gln and not is_valid_gln(partner.gln):
        raise IntakeError(
            _lt("GLN %(gln)s is not valid (13 digits with a check digit).", gln=partner.gln),
            ref=ref,
            location=loc,
        )
    shipping = None
    if any(_str(values.get(f)) for f in ("ship_street", "ship_zip", "ship_city")):
        shipping = PartyDraft(
            name=_str(values.get("ship_name")) or partner.name,
            street=_str(values.get("ship_street")) or None,
            street2=_str(values.get("ship_street2")) or None,
            zip=_str(values.get("ship_zip")) or None,
            city=_str(values.get("ship_city")) or None,
            country_code=_str(values.get("ship_country")).upper() or None,
        )
    requested = _date(values["date"], loc, ref) if _str(values.get("date")) else None
    return OrderDraft(
        external_ref=ref,
        partner=partner,
        shipping=shipping,
        requested_date=requested,
        currency=_str(values.get("currency")).upper() or None,
        note=_str(values.get("note")) or None,
        index=index,
    )


def _orders(rows, columns):
    orders, errors, first_line, positions = {}, {}, {}, {}
    for number, cells in rows:
        loc = f"line {number}"
        values = _row_values(cells, columns)
        ref = _str(values.get("order_ref"))
        try:
            if not ref:
                raise IntakeError(_lt("The row has no order reference."), location=loc)
            positions.setdefault(ref, len(positions))
            if ref in errors:
                continue  # the order is rejected already: its first error names it
            if ref not in orders:
                orders[ref] = _header(values, loc, ref, positions[ref])
                first_line[ref] = number
            else:
                _same_customer(orders[ref], values, loc, ref, first_line[ref])
            orders[ref].lines.append(_line(values, loc, ref))
        except IntakeError as error:
            if not error.ref:
                # a row without reference cannot be given to an order: the file is refused
                raise
            errors[ref] = error
            orders.pop(ref, None)
    return list(orders.values()), list(errors.values())


def _same_customer(order, values, loc, ref, first):
    for field in PARTNER_FIELDS:
        value = _str(values.get(field))
        if value and value != (getattr(order.partner, field) or ""):
            raise IntakeError(
                _lt(
                    "Order %(ref)s names another customer (%(value)s) than on line %(first)s.",
                    ref=ref,
                    value=value,
                    first=first,
                ),
                ref=ref,
                location=loc,
            )
