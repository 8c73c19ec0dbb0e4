"""CSV export that a spreadsheet cannot turn into a formula (CSV/formula injection, OWASP).

A text cell whose first character, or first character after leading whitespace, is one of
``= + - @``, a tab or a carriage return, or the full-width forms ``＝ ＋ － ＠`` that
spreadsheets normalise, gets a leading apostrophe: Excel and LibreOffice show it as text.
Numbers (``int``, ``float``, ``Decimal``) and text that is exactly a plain number
(``-12.50``) stay numbers. The price of safety: a phone number ``+49 …`` is exported as
``'+49 …``.
"""

import csv
import io
import re
from decimal import Decimal

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
LEADING_SPACE = " \t\r\n\u00a0\u2007\u202f\u3000"
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value):
    """``value`` made safe for a spreadsheet cell (numbers unchanged, None → "")."""
    if value is None or value is False:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if not text or PLAIN_NUMBER.fullmatch(text):
        return text
    stripped = text.lstrip(LEADING_SPACE)
    if text[0] in FORMULA_STARTS or (stripped and stripped[0] in FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows, header=None, delimiter=";"):
    """CSV bytes (UTF-8 with BOM, CRLF, ``;``, which German Excel opens as columns) of
    ``rows`` (iterables of cells), every cell through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
