"""The plan: what goes where and when, as plain validated data (what writers and plan.json see)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.models.common import Kind, Stage, TimeWindow


class Post(BaseModel):
    """An item placed in a group at a time, with its text rendered for that group."""

    model_config = ConfigDict(frozen=True)

    group: str
    item: str
    kind: Kind
    title: str
    stage: Stage
    operator: str
    campaign: str | None = None
    start: datetime  # time-zone aware, in the group's zone
    end: datetime
    timezone: str  # the group's IANA zone (plan.json keeps only offsets)
    text: str
    image: str | None = None
    notes: str = ""
    atmosphere: list[str] = Field(default_factory=list)
    promo: bool = False
    value: int  # the post's objective term: item value x peak weight x stage fit
    streak: int = 0  # check-ins: the day number of the series (continues across weeks)
    uid: str = ""  # stable for the same workspace + group + item + date, across re-plans
    sequence: int = 0  # raised each time a re-plan changes anything its calendar event shows
    group_name: str = ""  # the group's name when planned (a removed group's cancellations)
    alarm_minutes: int = 0  # the calendar reminder before it (0: none)

    def shown(self) -> tuple:
        """What a calendar event of the post shows a user: a change to any of it must raise
        SEQUENCE, or clients keep the old event."""
        return (
            self.start,
            self.end,
            self.title,
            self.text,
            self.notes,
            tuple(self.atmosphere),
            self.image,
            self.group_name,
            self.alarm_minutes,
            self.kind,
            self.stage,
            self.campaign,
        )


class FollowUp(BaseModel):
    """A one-to-one follow-up for the operator (training camps): in the run sheet, not posted."""

    model_config = ConfigDict(frozen=True)

    group: str
    item: str
    campaign: str
    operator: str
    date: date
    title: str
    text: str


class GroupDayFacts(BaseModel):
    """One group on one day as the report shows it: the stage and per_day cap in force and
    the attention peaks, worked out where the week is planned so writers need no rules."""

    model_config = ConfigDict(frozen=True)

    group: str
    date: date
    stage: Stage | None = None  # None: before the group's timeline starts; nothing is posted
    per_day: int = 0  # the per_day cap in force (0 without a stage)
    peaks: list[TimeWindow] = Field(default_factory=list)  # the day's attention peak windows
    # A group with learned attention (`planner learn`): the weight of each hour, learned and
    # its type's default, for the picture of the week; empty for every other group.
    attention: list[float] = Field(default_factory=list)
    default_attention: list[float] = Field(default_factory=list)
    # Required posts the stage does not ask for that day: their window lies wholly outside
    # the operator's hours (required_post.waived_reason, with file:line of both settings).
    waived: list[str] = Field(default_factory=list)
    quiet: TimeWindow | None = None  # the day's quiet hours (the week's picture shows them)

    def in_peak(self, post: Post) -> bool:
        """Whether the post (of this group-day) starts inside one of the day's peaks."""
        minute = post.start.hour * 60 + post.start.minute
        return any(window.contains(minute) for window in self.peaks)


class ValueChange(BaseModel):
    """An item whose value in the objective its learned engagement changed."""

    model_config = ConfigDict(frozen=True)

    item: str
    kind: str
    before: int
    after: int
    factor: float
    posts: int  # the evidence: earlier posts of it found in the chat history


class Unplaced(BaseModel):
    """An item a campaign requests for a group that the plan does not hold, and why."""

    model_config = ConfigDict(frozen=True)

    campaign: str
    group: str
    item: str
    role: str
    reason: str


class Change(BaseModel):
    """What a re-plan did to one post the week's last run published: moved it (to another
    time, or day), added it, or cancelled it."""

    model_config = ConfigDict(frozen=True)

    group: str
    item: str
    title: str
    what: Literal["moved", "added", "cancelled"]
    before: datetime | None = None  # its time in the last run (None: added)
    after: datetime | None = None  # its time now (None: cancelled)

    def order(self) -> tuple:
        """Group by group, in time order."""
        return (self.group, self.after or self.before, self.item)


class LeftOut(BaseModel):
    """A group left out of the week because its rules cannot all hold: why, in the user's
    words with each setting's file:line. Its calendar keeps what the last run published."""

    model_config = ConfigDict(frozen=True)

    group: str
    operator: str
    reasons: list[str]


class ResultSummary(BaseModel):
    """How one independent problem (an operator and their groups) was solved."""

    problem: str
    groups: list[str]
    status: str  # optimal | feasible | infeasible | unknown
    objective: int
    best_bound: int
    gap: float
    candidates: int
    variables: int
    message: str = ""


class Plan(BaseModel):
    """A week's plan for a whole workspace."""

    workspace: str
    week: str  # ISO week, e.g. 2026-W48
    week_start: date
    timezone: str
    slot_minutes: int
    posts: list[Post]
    problems: list[ResultSummary]
    conflicts: list[str] = Field(default_factory=list)
    failed: list[str] = Field(default_factory=list)  # problems that crashed or found no plan
    left_out: list[LeftOut] = Field(default_factory=list)  # groups whose rules cannot all hold
    # Posts published by an earlier run of this week that this plan dropped: the
    # calendar writer sends them as cancelled so calendar apps remove them.
    cancelled: list[Post] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    # What the writers show besides the posts, worked out where each unit is planned
    # (planner.run.facts); not part of plan.json, whose bytes stay what they were.
    days: list[GroupDayFacts] = Field(default_factory=list, exclude=True)
    unplaced: list[Unplaced] = Field(default_factory=list, exclude=True)
    warnings: list[str] = Field(default_factory=list, exclude=True)  # e.g. no holiday file
    # Required posts not asked for: their window lies outside the operator's hours
    waivers: list[str] = Field(default_factory=list, exclude=True)
    # groups whose week the library cannot fill (planner.run.shortfall)
    shortfalls: list[str] = Field(default_factory=list, exclude=True)
    value_changes: list[ValueChange] = Field(default_factory=list, exclude=True)
    # Against the week's last run, group by group; None: this is the week's first run.
    changes: list[Change] | None = Field(default=None, exclude=True)

    def posts_of(self, group: str) -> list[Post]:
        return [post for post in self.posts if post.group == group]


PLANS = "plans"  # OUT/<ISO week>/plans/<group>.json: each group's week, a GroupWeek


class GroupWeek(BaseModel):
    """One group's part of a week's plan, as plans/<group>.json holds it: later runs read
    the weeks before them group by group (cooldowns, streaks, a re-plan's sequences)
    instead of every group's posts at once."""

    group: str
    week: str
    posts: list[Post] = Field(default_factory=list)
    cancelled: list[Post] = Field(default_factory=list)
