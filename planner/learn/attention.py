"""Attention weights per hour of the week: the type's profile, shrunk toward by a group's
own message counts (Dirichlet-multinomial shrinkage).

A group's share of messages in hour h is estimated as (n_h + a * p_h) / (N + a), where p_h
is the type profile's share of attention in h and a (peaks.yaml `learning.prior_messages`)
is how many messages the type's profile counts for: with N much smaller than a the group
stays at its type's profile, with N much larger it follows its own history. The shares are
turned back into weights on the profile's scale (the week's total weight is kept), so a
learned group competes with the others on the same terms.
"""

from __future__ import annotations

from planner.models.common import TimeWindow
from planner.models.rules import Peak, PeakProfile

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS = 24
MAX_WEIGHT = 100  # a Peak's weight bound


def hour_weights(peaks: list[Peak], base: int) -> list[float]:
    """The mean attention weight of each hour of a day (peaks may start at half hours)."""
    out = []
    for hour in range(HOURS):
        minutes = range(hour * 60, hour * 60 + 60)
        total = 0
        for minute in minutes:
            covering = [p.weight for p in peaks if p.window.contains(minute)]
            total += max(covering) if covering else base
        out.append(total / 60)
    return out


def prior_weights(profile: PeakProfile, base: int) -> list[list[float]]:
    """The type's profile as 7 x 24 hourly weights, Monday first (weekends their own)."""
    weekday = hour_weights(profile.weekday, base)
    weekend = hour_weights(profile.weekend, base)
    return [weekday if day < 5 else weekend for day in range(7)]


def shrunk_weights(
    counts: list[list[int]], prior: list[list[float]], strength: float
) -> list[list[int]]:
    """The learned weights: the group's message shares shrunk toward the prior's shares."""
    total_prior = sum(map(sum, prior)) or 1.0
    messages = sum(map(sum, counts))
    out = []
    for day in range(7):
        row = []
        for hour in range(HOURS):
            share = (counts[day][hour] + strength * prior[day][hour] / total_prior) / (
                messages + strength
            )
            row.append(min(MAX_WEIGHT, int(share * total_prior + 0.5)))
        out.append(row)
    return out


def day_peaks(weights: list[int], base: int) -> tuple[Peak, ...]:
    """A day's hourly weights as peak windows: runs of equal weight other than the base
    (outside every window the base weight applies, as for the type's profile)."""
    peaks: list[Peak] = []
    start = 0
    for hour in range(1, HOURS + 1):
        if hour < HOURS and weights[hour] == weights[start]:
            continue
        if weights[start] != base:
            window = TimeWindow(start=f"{start:02d}:00", end=f"{hour % HOURS:02d}:00")
            peaks.append(Peak(name="learned", window=window, weight=weights[start]))
        start = hour
    return tuple(peaks)
