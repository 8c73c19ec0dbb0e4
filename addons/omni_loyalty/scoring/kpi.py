"""Scorecard arithmetic: KPI normalisation, weighted total, grade, trend, buying-less signal."""

#: supplier KPIs that enter the weighted total, with the direction of "good"
SUPPLIER_KPIS = ("otif", "lead_time", "fill_rate", "quality", "price")


def _clamp(value, low=0.0, high=100.0):
    return max(low, min(high, value))


def normalise_supplier_kpis(kpis, lead_time_target=14.0):
    """Turn raw supplier KPIs into 0..100 sub-scores (100 = best).

    ``kpis`` holds ``otif_rate`` and ``fill_rate`` (0..100), ``lead_time_avg`` (days),
    ``return_rate`` (0..100) and ``price_deviation`` (percent, positive = billed above the
    order price). Missing values (``None``) give ``None`` sub-scores, which the weighted total
    skips, so a vendor is not punished for having no bills in a month.
    """
    scores = {}
    otif = kpis.get("otif_rate")
    scores["otif"] = None if otif is None else _clamp(otif)
    fill = kpis.get("fill_rate")
    scores["fill_rate"] = None if fill is None else _clamp(fill)
    lead = kpis.get("lead_time_avg")
    if lead is None:
        scores["lead_time"] = None
    elif lead <= lead_time_target:
        scores["lead_time"] = 100.0
    else:
        # linear decay: twice the target lead time scores 0
        scores["lead_time"] = _clamp(100.0 * (2 - lead / lead_time_target))
    ret = kpis.get("return_rate")
    # 10 % returned/rejected already scores 0
    scores["quality"] = None if ret is None else _clamp(100.0 - 10.0 * ret)
    dev = kpis.get("price_deviation")
    # only billing above the order price costs points; 10 % above scores 0
    scores["price"] = None if dev is None else _clamp(100.0 - 10.0 * max(dev, 0.0))
    return scores


def weighted_total(scores, weights):
    """Weighted mean of the available sub-scores; ``None`` when nothing is measurable."""
    num = den = 0.0
    for key, weight in weights.items():
        value = scores.get(key)
        if value is None or not weight:
            continue
        num += value * weight
        den += weight
    if not den:
        return None
    return round(num / den, 2)


def grade_for(total, bands):
    """Grade of ``total`` given ``bands`` = [(min_score, grade), ...] (any order).

    The band with the highest ``min_score`` that ``total`` reaches wins; exactly on the edge
    counts as reached. ``None`` when ``total`` is ``None`` or below every band.
    """
    if total is None:
        return None
    for min_score, grade in sorted(bands, key=lambda b: b[0], reverse=True):
        if total >= min_score:
            return grade
    return None


def trend(current, previous):
    """Relative change in percent from ``previous`` to ``current`` (``None`` if undefined)."""
    if current is None or not previous:
        return None
    return round((current - previous) / abs(previous) * 100.0, 2)


def buying_less(current, history, orders_in_period, threshold=0.5, min_baseline=0.0):
    """True when a customer clearly buys less of a category than its own past pattern.

    ``current`` is the category revenue of the period, ``history`` the revenues of the previous
    periods (zeros included). The signal fires when the customer still orders in general
    (``orders_in_period > 0``), the past average reaches ``min_baseline`` and the current
    revenue is below ``threshold`` times that average.
    """
    if orders_in_period <= 0 or not history:
        return False
    baseline = sum(history) / len(history)
    if baseline <= 0 or baseline < min_baseline:
        return False
    return current < threshold * baseline


def kpi_crosses(previous, current, operator, threshold):
    """True when ``current`` is past ``threshold`` and ``previous`` was not (an edge, not a level).

    ``operator`` is ``"<"`` or ``">"``. A missing previous value counts as "not past".
    """
    if current is None:
        return False

    def past(value):
        if value is None:
            return False
        return value < threshold if operator == "<" else value > threshold

    return past(current) and not past(previous)
