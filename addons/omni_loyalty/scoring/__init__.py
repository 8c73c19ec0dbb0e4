"""Plain-Python decision logic of omni_loyalty (no ORM, no database).

The models feed these functions with batched SQL aggregates and store what they return, so the
logic is unit-testable and benchmarkable without building records.
"""

from .kpi import (
    SUPPLIER_KPIS,
    buying_less,
    grade_for,
    kpi_crosses,
    normalise_supplier_kpis,
    trend,
    weighted_total,
)
from .throttle import split_alerts
from .tiers import Tier, TierResult, compute_tier
