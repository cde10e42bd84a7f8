"""`planner learn`: read the exports, count each matched group's history, write the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from planner.errors import Findings, PlannerError
from planner.learn.attention import DAYS, prior_weights, shrunk_weights
from planner.learn.engagement import LearnedItem, item_evidence, past_posts
from planner.learn.match import ChatMatcher
from planner.learn.profile import (
    LearnedFile,
    LearnedGroup,
    read_learned,
    write_atomic,
    write_learned,
)
from planner.learn.tally import ChatTally, Tally, Week, tally
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peak_profile
from planner.writers.attention import attention_svg


@dataclass
class Learned:
    """What a learn run found: the groups learned, the chats no group claims, the file."""

    path: Path
    groups: dict[str, LearnedGroup]
    unmatched: list[ChatTally] = field(default_factory=list)
    items: dict[str, LearnedItem] = field(default_factory=dict)
    counted: Tally = field(default_factory=Tally)


def learn(
    ws: Workspace,
    exports: list[Path],
    weeks: int | None,
    me: frozenset[str],
    plans: Path | None = None,
) -> Learned:
    """Count the exports into ws's groups and write learned/attention.yaml (other groups'
    and items' earlier entries are kept). `plans`: the output folder whose weeks' posts
    are looked for in the history (default WORKSPACE/outputs)."""
    matcher = ChatMatcher(ws.groups, ws.settings.timezone)
    past = past_posts(plans or ws.root / "outputs", {g.id for g in ws.groups})
    counted = tally(exports, matcher, me, past)
    learned: dict[str, LearnedGroup] = {}
    evidence: dict[str, LearnedItem] = {}
    by_group: dict[str, list[ChatTally]] = {}
    for chat in counted.chats.values():
        if chat.group is not None:
            by_group.setdefault(chat.group, []).append(chat)
    for group_id, chats in sorted(by_group.items()):
        entry = summarise(chats, weeks)
        if entry is None:
            continue
        learned[group_id] = entry
        for chat in chats:
            if chat.watch is not None and chat.zone is not None:
                item_evidence(chat.watch.seen, entry.counts(), entry.weeks, chat.zone, evidence)
    earlier = read_learned(ws.root, Findings())
    kept = dict(earlier.groups) if earlier is not None else {}
    kept.update(learned)
    kept_items = dict(earlier.items) if earlier is not None else {}
    kept_items.update(evidence)
    whole = LearnedFile(written_by="planner learn", groups=kept, items=kept_items)
    path = write_learned(ws.root, whole)
    draw(ws, learned)
    unmatched = sorted(
        (c for c in counted.chats.values() if c.group is None), key=lambda c: c.chat_id
    )
    return Learned(path, learned, unmatched, counted=counted, items=evidence)


def summarise(chats: list[ChatTally], weeks: int | None) -> LearnedGroup | None:
    """A group's chats' weekly tables summed over the last `weeks` weeks (all: None)."""
    merged: dict[date, Week] = {}
    for chat in chats:
        for monday, week in chat.weeks.items():
            into = merged.setdefault(monday, Week())
            for day in range(7):
                for hour in range(24):
                    into.counts[day][hour] += week.counts[day][hour]
            into.first = min(d for d in (into.first, week.first) if d is not None)
            into.last = max(d for d in (into.last, week.last) if d is not None)
    if not merged:
        return None
    mondays = sorted(merged)
    if weeks is not None:
        mondays = [m for m in mondays if m > mondays[-1] - timedelta(weeks=weeks)]
    counts = [[sum(merged[m].counts[d][h] for m in mondays) for h in range(24)] for d in range(7)]
    first = merged[mondays[0]].first
    last = merged[mondays[-1]].last
    assert first is not None and last is not None
    return LearnedGroup(
        messages=sum(map(sum, counts)),
        **{"from": first},
        to=last,
        weeks=(mondays[-1] - mondays[0]).days // 7 + 1,
        hours=dict(zip(DAYS, counts, strict=True)),
    )


def no_exports_read(counted: Tally) -> PlannerError | None:
    """An error when not one message was read from any export (wrong files given)."""
    if any(r.messages for r in counted.readings):
        return None
    findings = Findings()
    for reading in counted.readings:
        findings.add(reading.path, 0, "no messages read from this export", "a chat export")
    return PlannerError(findings.errors)


def draw(ws: Workspace, learned: dict[str, LearnedGroup]) -> None:
    """learned/<group>.svg for each group learned now, and learned/type-<type>.svg: the
    type's default against its learned groups' counts taken together."""
    peaks, folder = ws.rules.peaks, ws.root / "learned"
    strength = peaks.learning.prior_messages
    by_type: dict[str, list[list[int]]] = {}
    for group_id, entry in sorted(learned.items()):
        gtype = ws.group(group_id).type
        prior = prior_weights(peak_profile(peaks, gtype), peaks.base_weight)
        weights = shrunk_weights(entry.counts(), prior, strength)
        svg = attention_svg(
            f"{group_id}: attention, {gtype.value} default vs learned", prior, weights
        )
        write_atomic(folder / f"{group_id}.svg", svg)
        summed = by_type.setdefault(gtype.value, [[0] * 24 for _ in range(7)])
        for day, row in enumerate(entry.counts()):
            summed[day] = [a + b for a, b in zip(summed[day], row, strict=True)]
    for gtype, counts in sorted(by_type.items()):
        prior = prior_weights(peak_profile(peaks, gtype), peaks.base_weight)
        weights = shrunk_weights(counts, prior, strength)
        svg = attention_svg(f"{gtype} groups: default vs learned", prior, weights)
        write_atomic(folder / f"type-{gtype}.svg", svg)
