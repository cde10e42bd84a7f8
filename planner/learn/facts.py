"""Each learned group-day's hourly attention, learned and default, for the writers' picture
(worked out where the week is planned: writers read no rule packs)."""

from __future__ import annotations

from planner.learn.attention import hour_weights
from planner.plan import GroupDayFacts
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peaks_on


def with_attention(ws: Workspace, days: list[GroupDayFacts]) -> list[GroupDayFacts]:
    """`days` with `attention` and `default_attention` filled for learned groups' days, and
    their peaks the learned hours above the base weight (hours below it are windows too)."""
    rules, base = ws.rules, ws.rules.peaks.base_weight
    if not rules.learned:
        return days
    out = []
    for day in days:
        if day.group not in rules.learned:
            out.append(day)
            continue
        gtype = ws.group(day.group).type
        learned = peaks_on(rules, gtype, day.date, day.group)
        default = peaks_on(rules, gtype, day.date)
        update = {
            # the report's "in attention peaks": the learned hours above the base weight
            "peaks": [peak.window for peak in learned if peak.weight > base],
            "attention": hour_weights(list(learned), base),
            "default_attention": [round(w, 2) for w in hour_weights(list(default), base)],
        }
        out.append(day.model_copy(update=update))
    return out
