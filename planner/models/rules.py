"""The rule packs: caps.yaml, peaks.yaml, stages.yaml, group_types.yaml.

Each pack is read as built-in defaults deep-merged with the workspace's
overrides; caps are then resolved per group type, stage and group.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field, model_validator

from planner.models.common import GroupType, Kind, Stage, StrictModel, TimeOfDay, TimeWindow


class KindLimit(StrictModel):
    per_day: int | None = Field(default=None, ge=0)
    per_week: int | None = Field(default=None, ge=0)


class CapsOverride(StrictModel):
    """A partial set of caps: whatever is given replaces the level below it."""

    per_day: int | None = Field(default=None, ge=0)
    per_hour: int | None = Field(default=None, ge=0)
    min_gap_minutes: int | None = Field(default=None, ge=0, le=1440)
    quiet_hours: TimeWindow | None = None
    promo_share_max: float | None = Field(default=None, ge=0, le=1)
    item_days_per_week: int | None = Field(default=None, ge=1, le=7)
    kinds: dict[Kind, KindLimit] = Field(default_factory=dict)


class Caps(StrictModel):
    """Resolved caps for one group on one day."""

    per_day: int = Field(ge=0)
    per_hour: int = Field(ge=0)
    min_gap_minutes: int = Field(ge=0, le=1440)
    quiet_hours: TimeWindow | None = None
    promo_share_max: float = Field(ge=0, le=1)
    # An item (other than a daily_kinds series) goes to a group on at most this many days
    # a week; 7 lets a `repeat: daily` item go every day.
    item_days_per_week: int = Field(default=7, ge=1, le=7)
    kinds: dict[Kind, KindLimit] = Field(default_factory=dict)


class OperatorCapacity(StrictModel):
    """At most `max_posts` posts in any `window_minutes` across all of one operator's groups,
    and at most `max_posts_per_day` on any of their days (None: no daily limit)."""

    max_posts: int = Field(ge=1)
    window_minutes: int = Field(ge=1, le=1440)
    max_posts_per_day: int | None = Field(default=None, ge=1)


class CapsPack(StrictModel):
    defaults: Caps
    group_types: dict[GroupType, CapsOverride] = Field(default_factory=dict)
    stages: dict[Stage, CapsOverride] = Field(default_factory=dict)
    operator: OperatorCapacity
    promotional_kinds: list[Kind] = Field(default_factory=list)
    # Kinds whose items form a group's daily series (check-ins): exempt from
    # item_days_per_week, counted as one series for the streak's day number.
    daily_kinds: list[Kind] = Field(default_factory=list)
    once_items_reuse_weeks: int = Field(default=4, ge=0, le=104)


class Peak(StrictModel):
    """A named attention window; weight multiplies the value of posts placed in it."""

    name: str
    window: TimeWindow
    weight: int = Field(ge=0, le=100)


class PeakProfile(StrictModel):
    weekday: list[Peak]
    weekend: list[Peak]
    holiday: list[Peak] | None = None  # None: holidays use the weekend profile


class Learning(StrictModel):
    """How far a group's own chat history (`planner learn`) moves it from its type's profile."""

    # How many messages the type's profile counts for: a group with far fewer messages of
    # history stays near its type's profile, one with far more follows its own hours.
    prior_messages: int = Field(default=1000, ge=1, le=1_000_000)
    # How many posts' worth of evidence an item's (and a kind's) prior lift counts for.
    prior_posts: int = Field(default=5, ge=1, le=10_000)
    # Bounds of the factor a learned lift multiplies an item's value by.
    min_value_factor: float = Field(default=0.5, gt=0, le=1)
    max_value_factor: float = Field(default=2.0, ge=1, le=10)


class LearnedValue(StrictModel):
    """An item's value in the objective after its learned lift, and the evidence."""

    value: int
    factor: float
    posts: int


class PeaksPack(StrictModel):
    base_weight: int = Field(default=1, ge=0, le=100)
    default: PeakProfile
    group_types: dict[GroupType, PeakProfile] = Field(default_factory=dict)
    learning: Learning = Field(default_factory=Learning)


class RequiredPost(StrictModel):
    """Posts of `kind` (or of any of a list of kinds) a stage needs every day, inside `window`."""

    kind: Kind | list[Kind]
    count: int = Field(default=1, ge=1)
    window: TimeWindow | None = None

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return tuple(self.kind) if isinstance(self.kind, list) else (self.kind,)

    def __str__(self) -> str:
        text = "/".join(self.kinds)
        if self.count > 1:
            text += f" x{self.count}"
        return f"{text} {self.window}" if self.window else text


class StageRule(StrictModel):
    """What a stage allows (kind -> stage fit weight), requires per day, and aims for."""

    label: str = ""
    kinds: dict[Kind, int] = Field(min_length=1)
    required: list[RequiredPost] = Field(default_factory=list)
    mix: dict[Kind, float] = Field(default_factory=dict)
    # A group's first day in the stage (from no stage or launch) opens with these kinds,
    # in this order, before any other post (rules/first_day.py).
    first_day_order: list[Kind] = Field(default_factory=list)
    # Those kinds go once: one post of each on that first day, none on the stage's other
    # days (rules/openers_once.py); a welcome or rules each day reads as a repeat.
    openers_once: bool = False
    # That first day opens by this local time: its first post (onboarding: the welcome;
    # reactivation: the rename notice) goes out before it (rules/first_day.py).
    opens_by: TimeOfDay | None = None

    @model_validator(mode="after")
    def _first_day_kinds_allowed(self) -> StageRule:
        for kind in self.first_day_order:
            if kind not in self.kinds:
                raise ValueError(f"first_day_order kind '{kind}' is not among the stage's kinds")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> StageRule:
        for required in self.required:
            for kind in required.kinds:
                if kind not in self.kinds:
                    raise ValueError(
                        f"required kind '{kind}' is not among the stage's allowed kinds"
                    )
        for kind, share in self.mix.items():
            if not 0 <= share <= 1:
                raise ValueError(f"mix share of '{kind}' must be between 0 and 1, got {share}")
        if sum(self.mix.values()) > 1 + 1e-9:
            raise ValueError("mix shares add up to more than 1")
        return self


class ObjectiveWeights(StrictModel):
    """Integer weights of the objective's extra terms; 0 switches a term off."""

    variety_bonus: int = Field(default=20, ge=0, le=10_000)
    mix_penalty: int = Field(default=30, ge=0, le=10_000)
    stability_bonus: int = Field(default=15, ge=0, le=10_000)
    repeat_penalty: int = Field(default=1000, ge=0, le=100_000)


class StagesPack(StrictModel):
    stages: dict[Stage, StageRule]
    objective: ObjectiveWeights = Field(default_factory=ObjectiveWeights)

    @model_validator(mode="after")
    def _every_stage(self) -> StagesPack:
        missing = [s.value for s in Stage if s not in self.stages]
        if missing:
            raise ValueError(f"stages missing from the pack: {', '.join(missing)}")
        return self


class GroupTypeRule(StrictModel):
    """What a group type means for planning; day counts are playbook defaults."""

    label: str
    description: str = ""
    forbidden_kinds: list[Kind] = Field(default_factory=list)
    dissolve_after_days: int | None = Field(default=None, ge=0)
    retention_days: int | None = Field(default=None, ge=1)
    conversion_days: int | None = Field(default=None, ge=1)


class GroupTypesPack(StrictModel):
    group_types: dict[GroupType, GroupTypeRule]

    @model_validator(mode="after")
    def _every_type(self) -> GroupTypesPack:
        missing = [t.value for t in GroupType if t not in self.group_types]
        if missing:
            raise ValueError(f"group types missing from the pack: {', '.join(missing)}")
        return self


class DaySpan(StrictModel):
    name: str = Field(min_length=1)
    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> DaySpan:
        if self.to < self.from_:
            raise ValueError(f"'to' {self.to} comes before 'from' {self.from_}")
        return self

    def days(self) -> list[date]:
        return [self.from_ + timedelta(days=n) for n in range((self.to - self.from_).days + 1)]


class NamedDay(StrictModel):
    name: str = Field(min_length=1)
    date: date


YEARS = (2000, 2100)  # the years a holiday calendar may describe


class HolidayYear(StrictModel):
    """One year's days off, adjusted working days (调休) and shopping festivals."""

    year: int = Field(ge=YEARS[0], le=YEARS[1])
    days_off: list[DaySpan] = Field(default_factory=list)
    working_days: list[NamedDay] = Field(default_factory=list)
    festivals: list[DaySpan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _in_year(self) -> HolidayYear:
        for span in self.days_off:
            if span.from_.year != self.year or span.to.year != self.year:
                raise ValueError(f"days off '{span.name}' fall outside {self.year}")
        for day in self.working_days:
            if day.date.year != self.year:
                raise ValueError(f"working day '{day.name}' {day.date} is outside {self.year}")
        return self


class HolidayCalendar(StrictModel):
    """All loaded years: which days are off, which weekend days are working days."""

    years: dict[int, HolidayYear] = Field(default_factory=dict)

    def year(self, year: int) -> HolidayYear:
        """The year's file; without one, China's statutory days off computed for it (no
        adjusted working days: those come with the State Council's notice)."""
        if year in self.years:
            return self.years[year]
        if not YEARS[0] <= year <= YEARS[1]:  # e.g. a lock's `at: 0` (1970): none known
            return HolidayYear.model_construct(year=year, days_off=[], working_days=[])
        from planner.models.statutory import statutory_year  # imports this module

        return statutory_year(year)

    def day_type(self, day: date) -> str:
        """'holiday', 'weekday' or 'weekend' for the attention profile of `day`."""
        year = self.year(day.year)
        if any(span.from_ <= day <= span.to for span in year.days_off):
            return "holiday"
        if any(named.date == day for named in year.working_days):
            return "weekday"
        return "weekend" if day.weekday() >= 5 else "weekday"

    def festivals_on(self, day: date) -> list[str]:
        year = self.years.get(day.year)
        if year is None:
            return []
        return [span.name for span in year.festivals if span.from_ <= day <= span.to]


class RulePacks(StrictModel):
    caps: CapsPack
    peaks: PeaksPack
    stages: StagesPack
    group_types: GroupTypesPack
    holidays: HolidayCalendar = Field(default_factory=HolidayCalendar)
    # Learned attention (learned/attention.yaml): a group's peaks for Monday..Sunday
    learned: dict[str, tuple[tuple[Peak, ...], ...]] = Field(default_factory=dict)
    # Learned engagement: an item's value in the objective (item id -> value and evidence)
    learned_values: dict[str, LearnedValue] = Field(default_factory=dict)
