"""The day of each ordered deal of a seven-day retention: read by the deal_order rule and
by the campaign builder (which asks for each deal on its day); not a rule module, so the
builder may import it before the catalogue."""

from __future__ import annotations

from datetime import date, timedelta


def deal_days(campaign) -> dict[str, tuple[int, date | None]]:
    """Each ordered deal's place in the sequence (1-based) and its day (None: past the
    retention's days)."""
    ordered = sorted(
        (b for b in campaign.items if b.role == "deal" and b.order > 0),
        key=lambda b: (b.order, b.item),
    )
    low, high = campaign.deals_per_day
    days: list[date | None] = []
    for day in range(1, campaign.days + 1):
        left = len(ordered) - len(days)
        count = min(high, max(low, left - low * (campaign.days - day)), left)
        days += [campaign.acquired_on + timedelta(days=day)] * count
    days += [None] * (len(ordered) - len(days))
    return {b.item: (n + 1, day) for n, (b, day) in enumerate(zip(ordered, days, strict=True))}
