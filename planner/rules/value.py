"""value: each post is worth item value x attention weight of its slot x stage fit of its kind.

Attention weights come from rules/peaks.yaml (the highest peak covering the slot, else
base_weight); stage fit from rules/stages.yaml's kinds of the day's stage (1 for an
item a campaign binds outside its stage's kinds).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from planner.rules.catalogue import Term
from planner.workspace.rulepacks import peaks_on


def peak_weight(peaks, minute: int, base: int) -> int:
    """The highest weight of the peaks covering `minute`, else the base weight."""
    weights = [peak.weight for peak in peaks if peak.window.contains(minute)]
    return max(weights) if weights else base


def item_value(rules, item) -> int:
    """The item's value, or the value its learned engagement gives it (`planner learn`)."""
    learned = rules.learned_values.get(item.id)
    return learned.value if learned is not None else item.value


def add(m, weight: int) -> list:
    return [(c.value, m.z[n]) for n, c in enumerate(m.problem.candidates) if c.value > 0]


def post_value(s, post) -> int:
    ws = s.ws
    group = ws.group(post.group)
    start = post.start.astimezone(ZoneInfo(group.timezone or ws.settings.timezone))
    peaks = peaks_on(ws.rules, group.type, start.date(), group.id)
    attention = peak_weight(peaks, start.hour * 60 + start.minute, ws.rules.peaks.base_weight)
    stage = s.stage(group, start.date())
    fit = ws.rules.stages.stages[stage].kinds.get(ws.items[post.item].kind, 1)
    return item_value(ws.rules, ws.items[post.item]) * attention * fit


def score(s, weight: int) -> int:
    return sum(post_value(s, post) for post in s.plan.posts)


def describe(sources) -> str:
    return (
        "each post is worth its item's value x the attention weight of its slot "
        f"({sources.pack('peaks', ())}) x its kind's fit to the stage "
        f"({sources.pack('stages', ('stages',))})"
    )


TERM = Term(
    name="value",
    summary="Item value x attention weight of the slot x stage fit of the kind, per post.",
    settings=("item value", "peaks.yaml", "stages.<stage>.kinds"),
    add=add,
    score=score,
    describe=describe,
)
