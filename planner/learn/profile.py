"""learned/attention.yaml: what `planner learn` keeps of the chat exports, and how the
planner reads it with the rule packs.

The file holds aggregates only: per group, members' messages per weekday and hour, how many,
and the dates they span. No message text, no member ids. The weights are computed when the
workspace is loaded, from these counts and the group type's current profile, so a changed
peaks.yaml (or `learning.prior_messages`) applies without learning again.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, TypeAdapter, model_validator

from planner.errors import Findings
from planner.learn.attention import DAYS, day_peaks, prior_weights, shrunk_weights
from planner.learn.engagement import LearnedItem, learned_values
from planner.models.common import StrictModel
from planner.models.groups import Group
from planner.models.rules import Peak, RulePacks
from planner.workspace.rulepacks import peak_profile
from planner.workspace.validation import validate
from planner.workspace.yamlio import read_yaml

LEARNED_FILE = Path("learned") / "attention.yaml"
WRITTEN_BY = "planner learn"


class LearnedGroup(StrictModel):
    """One group's counted history."""

    messages: int = Field(ge=0)
    from_: date = Field(alias="from")
    to: date
    weeks: int = Field(ge=1)
    hours: dict[Literal[DAYS], list[int]]  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _full_week(self) -> LearnedGroup:
        if set(self.hours) != set(DAYS) or any(len(v) != 24 for v in self.hours.values()):
            raise ValueError("hours needs mon..sun, each a list of 24 counts")
        return self

    def counts(self) -> list[list[int]]:
        return [self.hours[day] for day in DAYS]


class LearnedFile(StrictModel):
    written_by: Literal["planner learn"]
    groups: dict[str, LearnedGroup] = Field(default_factory=dict)
    items: dict[str, LearnedItem] = Field(default_factory=dict)


_FILE = TypeAdapter(LearnedFile)


def read_learned(root: Path, findings: Findings) -> LearnedFile | None:
    """The workspace's learned file, None when there is none (or it is broken: findings)."""
    path = root / LEARNED_FILE
    if not path.is_file():
        return None
    doc = read_yaml(path, findings)
    if doc is None:
        return None
    if not isinstance(doc.data, dict) or doc.data.get("written_by") != WRITTEN_BY:
        findings.add(
            path,
            1,
            "not written by `planner learn`: the planner leaves it alone and ignores it",
            "run `planner learn` to learn the groups' attention",
            severity="warning",
        )
        return None
    return validate(_FILE, doc, findings)


def with_learned(
    rules: RulePacks, root: Path, groups: list[Group], items: dict, findings: Findings
) -> RulePacks:
    """The rule packs with each learned group's attention peaks per weekday (Monday first),
    and the items' values after their learned engagement."""
    learned = read_learned(root, findings)
    if learned is None:
        return rules
    values = learned_values(learned.items, items, rules.peaks.learning)
    strength = rules.peaks.learning.prior_messages
    base = rules.peaks.base_weight
    known = {g.id: g for g in groups}
    profiles: dict[str, tuple[tuple[Peak, ...], ...]] = {}
    for group_id, counted in sorted(learned.groups.items()):
        group = known.get(group_id)
        if group is None:
            findings.add(
                root / LEARNED_FILE,
                0,
                f"learned attention for '{group_id}', a group groups.yaml does not have",
                "run `planner learn` again, or remove the entry",
                severity="warning",
            )
            continue
        prior = prior_weights(peak_profile(rules.peaks, group.type), base)
        weights = shrunk_weights(counted.counts(), prior, strength)
        profiles[group_id] = tuple(day_peaks(row, base) for row in weights)
    return rules.model_copy(update={"learned": profiles, "learned_values": values})


def learned_note(rules: RulePacks) -> str | None:
    """The line `check` and `plan` print: which groups use a learned attention profile."""
    if not rules.learned:
        return None
    names = ", ".join(sorted(rules.learned))
    return (
        f"learned attention ({LEARNED_FILE.as_posix()}) for {len(rules.learned)} group(s): {names}"
    )


def write_learned(root: Path, learned: LearnedFile) -> Path:
    """Write the file whole and atomically; never over a file `planner learn` did not write."""
    path = root / LEARNED_FILE
    if path.exists():
        findings = Findings()
        doc = read_yaml(path, findings)
        data = doc.data if doc is not None else None
        if not isinstance(data, dict) or data.get("written_by") != WRITTEN_BY:
            from planner.errors import PlannerError

            findings.add(
                path,
                1,
                "this file was not written by `planner learn`; it is left as it is",
                "move it away, or add 'written_by: planner learn' to let learn replace it",
            )
            raise PlannerError(findings.errors)
    return write_atomic(path, render(learned))


def write_atomic(path: Path, text: str) -> Path:
    """Write a temporary file beside `path`, then rename it: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def render(learned: LearnedFile) -> str:
    """The file's text, one line per weekday: readable, diffable, the same bytes each time."""
    lines = [
        "# Written by `planner learn`: members' messages per weekday and hour (0-23, the",
        "# group's time zone), counted from chat exports. Aggregates only: no message text,",
        "# no member ids. Run `planner learn` again to update; edits here are replaced.",
        f"written_by: {WRITTEN_BY}",
        "groups:" if learned.groups else "groups: {}",
    ]
    for group_id, counted in sorted(learned.groups.items()):
        lines += [
            f"  {group_id}:",
            f"    messages: {counted.messages}",
            f"    from: {counted.from_.isoformat()}",
            f"    to: {counted.to.isoformat()}",
            f"    weeks: {counted.weeks}",
            "    hours:",
        ]
        lines += [f"      {day}: [{', '.join(map(str, counted.hours[day]))}]" for day in DAYS]
    if learned.items:
        lines += [
            "# Our past posts found in the history: members' replies in the next 30 minutes",
            "items:",
        ]
    for item_id, seen in sorted(learned.items.items()):
        lines.append(
            f"  {item_id}: {{kind: {seen.kind}, posts: {seen.posts}, replies: {seen.replies}, "
            f"repliers: {seen.repliers}, log_lift: {seen.log_lift}}}"
        )
    return "\n".join(lines) + "\n"
