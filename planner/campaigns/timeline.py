"""The stage timeline: a group's own stages (groups.yaml), advanced by its playbooks.

A seven-day retention moves a group to onboarding then activation, a reactivation to
reactivation then activation, a dissolve ends the timeline (stage None: nothing is
posted). The problem builder, the verifier and the objective read stages only here.
"""

from __future__ import annotations

from datetime import date

from planner.campaigns.playbook import Playbook
from planner.models.common import Stage
from planner.models.groups import Group


def advance(book: Playbook, group: str, *changes: tuple[date, Stage | None]) -> None:
    """From each change's date on, the group is in its stage (None: dissolved)."""
    book.stage_changes.setdefault(group, []).extend(changes)


def settle(book: Playbook) -> None:
    """Each group's changes in date order; changes on the same day keep the order added."""
    for changes in book.stage_changes.values():
        changes.sort(key=lambda change: change[0])


def stage_on(group: Group, day: date, book: Playbook) -> Stage | None:
    """The group's stage on `day`: its own timeline, advanced by playbooks."""
    spans = [(span.from_, span.stage) for span in group.stages]
    spans += book.stage_changes.get(group.id, [])
    current = None
    for start, stage in sorted(spans, key=lambda s: s[0]):  # stable: playbooks win ties
        if start <= day:
            current = stage
    return current
