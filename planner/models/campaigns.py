"""campaigns.yaml: campaigns bind items to roles, dates and groups.

The schema is complete here; each kind's scheduling lives in the solver.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from planner.models.common import GroupType, Id, OneLine, StrictModel
from planner.models.offsets import DayAndTime, Offset, PinOrDayAndTime


class Targets(StrictModel):
    """Groups a campaign reaches: the union of those named, tagged or of a type."""

    groups: list[Id] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    types: list[GroupType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Targets:
        if not (self.groups or self.tags or self.types):
            raise ValueError("targets must name at least one of groups, tags or types")
        return self


class Binding(StrictModel):
    """One item in a campaign: its role, order among the role, day offset and time."""

    item: Id
    role: str
    order: int = Field(default=0, ge=0)
    day: int | None = None  # day offset from the campaign's anchor date
    # A pinned local time on that day, or "-1d 20:00": a day and time counted from the
    # campaign's anchor (overrides the item's `before` / `at`).
    at: PinOrDayAndTime | None = None
    before: Offset | None = None  # this long before the campaign's anchor (overrides the item's)

    @model_validator(mode="after")
    def _one_offset(self) -> Binding:
        if isinstance(self.at, DayAndTime) and self.before is not None:
            raise ValueError('give either before or at ("-1d 20:00"), not both')
        if isinstance(self.at, DayAndTime) and self.day is not None:
            raise ValueError(
                f'at: "{self.at}" counts from the anchor already; drop day, or write at as '
                "a plain time (HH:MM) on that day"
            )
        return self


class CampaignBase(StrictModel):
    roles: ClassVar[tuple[str, ...]] = ()

    id: Id
    name: OneLine = Field(min_length=1)
    targets: Targets
    items: list[Binding] = Field(min_length=1)
    festival: str | None = None

    @model_validator(mode="after")
    def _known_roles(self) -> CampaignBase:
        for binding in self.items:
            if binding.role not in self.roles:
                raise ValueError(
                    f"role '{binding.role}' (item {binding.item}) is not a role of a "
                    f"{self.kind} campaign; expected one of: {', '.join(self.roles)}"  # type: ignore[attr-defined]
                )
        return self


class LaunchCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("teaser", "launch", "reminder", "last_call")
    kind: Literal["launch"]
    launch_at: datetime
    deadline: datetime
    teaser_days_before: tuple[int, int] = (1, 3)

    @model_validator(mode="after")
    def _order(self) -> LaunchCampaign:
        if self.deadline <= self.launch_at:
            raise ValueError("deadline must come after launch_at")
        return self


class LiveCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("live", "reminder", "replay")
    kind: Literal["live"]
    start: datetime
    duration_minutes: int = Field(default=60, ge=5, le=720)
    # Each [a, b]: one reminder between b and a minutes before the start. Default:
    # the day before (20-28 hours) and shortly before (30-120 minutes).
    reminder_windows: list[tuple[int, int]] = Field(
        default_factory=lambda: [(30, 120), (1200, 1680)]
    )

    @model_validator(mode="after")
    def _windows(self) -> LiveCampaign:
        for low, high in self.reminder_windows:
            if not 0 < low < high:
                raise ValueError(
                    f"reminder window [{low}, {high}] needs 0 < first < second (minutes before)"
                )
        return self


def _one_number_or_range(value: Any) -> Any:
    """`deals_per_day: 1` means exactly one a day: [1, 1]."""
    return (value, value) if isinstance(value, int) and not isinstance(value, bool) else value


def _ordered_range(value: tuple[int, int]) -> tuple[int, int]:
    low, high = value
    if not 0 <= low <= high or high < 1:
        raise ValueError(
            f"deals_per_day [{low}, {high}] is not a range; "
            "expected a number (2) or [fewest, most] with 0 <= fewest <= most, most >= 1"
        )
    return value


DealsPerDay = Annotated[
    tuple[int, int],
    BeforeValidator(_one_number_or_range, json_schema_input_type=int | tuple[int, int]),
    AfterValidator(_ordered_range),
]


class SevenDayRetentionCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("deal",)
    kind: Literal["seven_day_retention"]
    acquired_on: date
    days: int = Field(default=7, ge=1, le=31)
    deals_per_day: DealsPerDay = (1, 2)  # a number n means [n, n]
    # Onboarding from acquired_on, activation this many days later (None: the group's own
    # timeline decides).
    activation_after_days: int | None = Field(default=None, ge=1, le=31)


class TrainingCampCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("value", "conversion", "follow_up", "thanks", "dissolve")
    kind: Literal["training_camp"]
    start: date
    end: date
    conversion_days: int = Field(default=2, ge=1, le=7)

    @model_validator(mode="after")
    def _order(self) -> TrainingCampCampaign:
        if self.end < self.start:
            raise ValueError("end must not come before start")
        return self


class ShortEventCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("event", "reminder", "thanks", "dissolve")
    kind: Literal["short_event"]
    start: date
    end: date
    dissolve_after_days: int = Field(default=3, ge=0, le=30)

    @model_validator(mode="after")
    def _order(self) -> ShortEventCampaign:
        if self.end < self.start:
            raise ValueError("end must not come before start")
        return self


class ReactivationCampaign(CampaignBase):
    roles: ClassVar[tuple[str, ...]] = ("rename", "theme", "seed", "checkin")
    kind: Literal["reactivation"]
    start: date
    activation_after_days: int = Field(default=7, ge=1, le=60)


Campaign = Annotated[
    LaunchCampaign
    | LiveCampaign
    | SevenDayRetentionCampaign
    | TrainingCampCampaign
    | ShortEventCampaign
    | ReactivationCampaign,
    Field(discriminator="kind"),
]


class CampaignsFile(StrictModel):
    campaigns: list[Campaign] = Field(default_factory=list)
