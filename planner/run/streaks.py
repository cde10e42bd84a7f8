"""The day number of a group's check-in series ("第 N 天"), counted across weeks.

The number counts the series' check-in days: it goes up by one on each day with a
check-in and starts again at 1 only when a day that could have had one went without.
A day the plan keeps free does not break the series: the group's operator is off (their
planner.yaml hours), a locks.yaml `no_posts` day, or a day the playbook keeps free
(Playbook.days_off). So a weekday-only operator's groups go on from Friday's number on
Monday instead of restarting at 第 1 天.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.models.groups import Group
from planner.rules.working_hours import WorkingHours, working_hours
from planner.workspace.load import Workspace


class Series:
    """Each group's series as the week's check-ins are numbered, in time order."""

    def __init__(self, ws: Workspace, days_off, earlier: dict[str, tuple[date, int]] | None):
        self.ws = ws
        self.days_off = days_off  # (group, date) the playbook keeps free
        self.latest: dict[str, tuple[date, int]] = dict(earlier or {})
        self.locked = {(lock.group, lock.date) for lock in ws.locks if lock.no_posts}
        self.hours: dict[str, WorkingHours | None] = {}  # by operator, built once

    def number(self, group: Group, day: date) -> int:
        """The day number of `group`'s check-in on `day` (a second one that day keeps it)."""
        last = self.latest.get(group.id)
        if last and last[0] == day:
            return last[1]
        number = 1
        if last is not None:
            between = (last[0] + timedelta(days=n) for n in range(1, (day - last[0]).days))
            if all(self.kept_free(group, gap) for gap in between):
                number = last[1] + 1
        self.latest[group.id] = (day, number)
        return number

    def kept_free(self, group: Group, day: date) -> bool:
        """A day with no check-in by the plan's own choice, not by a gap in the series."""
        if (group.id, day) in self.days_off or (group.id, day) in self.locked:
            return True
        if group.operator not in self.hours:
            self.hours[group.operator] = working_hours(self.ws, group.operator)
        hours = self.hours[group.operator]
        return hours is not None and hours.spans_on(day) == ()
