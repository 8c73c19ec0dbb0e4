"""Parser of the supplier stock feed (CSV): ``sku;quantity`` with a header line.

Accepts ``,`` or ``;`` as delimiter, a UTF-8 BOM, CRLF line ends. Returns the parsed rows and
a list of line-level errors; a bad line never stops the others.
"""

import csv
import io

SKU_HEADERS = ("sku", "default_code", "product", "reference")
QTY_HEADERS = ("quantity", "qty", "stock", "available")


def parse_supplier_feed(data):
    """Parse ``data`` (bytes or str).

    :return: (rows, errors) where rows is {sku: quantity} (last wins) and errors a list of
        (line_number, code, value) with code in "no_header", "bad_quantity", "empty_sku".
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = data.lstrip("\ufeff")
    rows, errors = {}, []
    if not text.strip():
        return rows, [(0, "no_header", "")]
    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    sku_col = next((header.index(h) for h in SKU_HEADERS if h in header), None)
    qty_col = next((header.index(h) for h in QTY_HEADERS if h in header), None)
    if sku_col is None or qty_col is None:
        return rows, [(1, "no_header", ",".join(header))]
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        sku = row[sku_col].strip() if len(row) > sku_col else ""
        raw = row[qty_col].strip() if len(row) > qty_col else ""
        if not sku:
            errors.append((number, "empty_sku", raw))
            continue
        try:
            qty = float(raw.replace(",", ".")) if raw else 0.0
        except ValueError:
            errors.append((number, "bad_quantity", raw))
            continue
        if qty < 0 or qty != qty or qty > 1e9:
            errors.append((number, "bad_quantity", raw))
            continue
        rows[sku] = qty
    return rows, errors
