"""Volume-tier bonus calculator (retroactive or incremental), plain Python."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    min_amount: float
    percent: float


@dataclass(frozen=True)
class TierResult:
    volume: float
    tier: Tier | None  # reached tier, None below the first threshold
    bonus: float
    next_tier: Tier | None
    missing: float  # volume still missing to reach next_tier (0 when there is none)


def compute_tier(volume, tiers, mode="retroactive", digits=2):
    """Bonus for ``volume`` under ``tiers``.

    ``retroactive``: the percent of the reached tier applies to the whole volume.
    ``incremental``: each slice between two thresholds earns its own percent (a tax-bracket
    scheme). Reaching a threshold exactly counts as reached. Negative volumes (more credit
    notes than invoices) earn nothing.
    """
    ordered = sorted(tiers, key=lambda t: t.min_amount)
    reached = None
    next_tier = None
    for tier in ordered:
        if volume >= tier.min_amount:
            reached = tier
        else:
            next_tier = tier
            break
    bonus = 0.0
    if reached and volume > 0:
        if mode == "incremental":
            for index, tier in enumerate(ordered):
                if volume < tier.min_amount:
                    break
                upper = ordered[index + 1].min_amount if index + 1 < len(ordered) else None
                top = volume if upper is None else min(volume, upper)
                bonus += (top - tier.min_amount) * tier.percent / 100.0
        else:
            bonus = volume * reached.percent / 100.0
    missing = round(next_tier.min_amount - volume, digits) if next_tier else 0.0
    return TierResult(
        volume=volume,
        tier=reached,
        bonus=round(bonus, digits),
        next_tier=next_tier,
        missing=missing,
    )
