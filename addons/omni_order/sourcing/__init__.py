"""Pure-Python sourcing core: no ORM import here (see ARCHITECTURE.md, "Where logic lives")."""

from .engine import (
    Decision,
    Line,
    LogEntry,
    Node,
    Request,
    Rule,
    Shipment,
    SourcingEngine,
)
from .feed import parse_supplier_feed
from .geo import haversine_km, zip_centroid
