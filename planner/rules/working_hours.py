"""When an operator works: their planner.yaml `hours` in their time zone, with the holiday
calendar saying which days are weekdays. Read by the operator_hours rule, by the problem
builder (which cuts segments where work starts and stops) and by `planner check` (pinned
times); not a rule module, so any of them may import it first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.rules import HolidayCalendar
from planner.models.settings import OperatorHours, describe_spans
from planner.rules.sources import display
from planner.workspace.load import SETTINGS_FILE, Workspace

ON = {"weekday": "on weekdays", "weekend": "on weekends and public holidays"}
DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class WorkingHours:
    """One operator's hours with what gives them meaning: their zone and the holiday
    calendar (which days are weekdays)."""

    operator: str
    hours: OperatorHours
    zone: ZoneInfo
    calendar: HolidayCalendar
    answers: dict[datetime, bool] = field(default_factory=dict, compare=False, repr=False)

    def key_on(self, day: date) -> str | None:
        return self.hours.key_on(day, self.calendar.day_type(day))

    def spans_on(self, day: date):
        return self.hours.spans_on(day, self.calendar.day_type(day))

    def intervals(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """The working intervals (UTC) of the operator's days `first`..`last`."""
        return self.hours.intervals(first, last, self.calendar.day_type, self.zone)

    def works_at(self, moment: datetime) -> bool:
        """Is `moment` (time-zone aware) inside the hours of its day, or of a span of the
        day before that runs past midnight?"""
        if moment not in self.answers:  # asked once per segment of each group-day
            day = moment.astimezone(self.zone).date()
            spans = self.intervals(day - timedelta(days=1), day)
            self.answers[moment] = any(a <= moment < b for a, b in spans)
        return self.answers[moment]

    def edges(self, first: date, last: date) -> list[datetime]:
        """Every moment the operator starts or stops work on days `first`..`last`: where the
        problem builder cuts a group-day's segments, so a filter's answer holds for each."""
        return [moment for span in self.intervals(first, last) for moment in span]


def off_all_along(hours: WorkingHours | None, zone: ZoneInfo, day: date, start: int, end: int):
    """Is the operator off for the whole of `day`'s local minutes start..end (in the
    group's `zone`)? A demand that lies there is one nobody can meet."""
    if hours is None:
        return False
    midnight = datetime.combine(day, time(0, 0), tzinfo=zone)
    first = (midnight + timedelta(minutes=start)).astimezone(UTC)
    last = (midnight + timedelta(minutes=end)).astimezone(UTC)
    spans = hours.intervals(day - timedelta(days=1), day + timedelta(days=1))
    return not any(a < last and first < b for a, b in spans)


def working_hours(ws: Workspace, operator: str) -> WorkingHours | None:
    own = ws.settings.operators.get(operator)
    if own is None or own.hours is None:
        return None
    zone = ZoneInfo(ws.settings.operator_zone(operator))
    return WorkingHours(operator, own.hours, zone, ws.rules.holidays)


def hours_text(ws: Workspace, hours: WorkingHours, day: date) -> str:
    """`operator x works 18:00-22:30 on weekdays (planner.yaml:LINE)` for `day`."""
    key = hours.key_on(day)
    spans = hours.spans_on(day) or ()
    when = ON.get(key) or f"on {DAY_NAMES[day.weekday()]}"
    what = f"is off {when}" if not spans else f"works {describe_spans(spans)} {when}"
    zone = "" if str(hours.zone) == ws.settings.timezone else f" {hours.zone}"
    return f"operator {hours.operator} {what}{zone} ({source(ws, hours.operator, key)})"


def source(ws: Workspace, operator: str, key: str | None) -> str:
    doc = ws.docs.get(SETTINGS_FILE)
    if doc is None:
        return SETTINGS_FILE
    return display(doc.path, doc.line(("operators", operator, "hours", *([key] if key else []))))
