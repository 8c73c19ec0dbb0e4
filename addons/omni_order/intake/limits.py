"""Limits shared by the file parsers (bytes and quantities a channel may send)."""

from decimal import Decimal

# A payload above this size is refused before parsing (EDIFACT, openTRANS, CSV, XLSX).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
# An order line above this quantity is a typo or a unit mix-up, not an order.
MAX_QUANTITY = Decimal(100000)
