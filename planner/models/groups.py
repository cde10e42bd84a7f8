"""groups.yaml: the groups, their stage timelines and per-group overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from planner.models.common import (
    GroupType,
    Id,
    OneLine,
    Stage,
    StrictModel,
    TimeZoneName,
    Topics,
)
from planner.models.rules import CapsOverride


class StageSpan(StrictModel):
    """From `from` on (inclusive) the group is in `stage`, until the next entry."""

    from_: date = Field(alias="from")
    stage: Stage


class Group(StrictModel):
    id: Id
    name: OneLine = Field(min_length=1)
    type: GroupType
    members: int = Field(default=0, ge=0)
    operator: Id
    stages: list[StageSpan] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    vars: dict[str, Any] = Field(default_factory=dict)
    caps: CapsOverride = Field(default_factory=CapsOverride)
    timezone: TimeZoneName | None = None
    event_end: date | None = None
    topics: Topics | None = None  # None: planner.yaml's topics; []: generic items only
    # The group's chats in chat-history exports (`planner learn`): Telegram chat ids,
    # WeChat/WeCom room ids. Without them a chat is matched by the group's name.
    chat_ids: list[str | int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _timeline_and_type(self) -> Group:
        for earlier, later in zip(self.stages, self.stages[1:], strict=False):
            if later.from_ < earlier.from_:
                raise ValueError(
                    f"stage timeline is out of order: {later.from_} ({later.stage}) comes after "
                    f"{earlier.from_} ({earlier.stage}); list entries by ascending 'from'"
                )
            if later.from_ == earlier.from_:
                raise ValueError(
                    f"stage timeline overlaps: two entries start on {later.from_} "
                    f"({earlier.stage} and {later.stage}); give each its own date"
                )
        if self.event_end is not None and self.type != GroupType.short_event:
            raise ValueError(
                f"event_end is only for short_event groups, this group is '{self.type}'"
            )
        return self

    def stage_on(self, day: date) -> Stage | None:
        """The stage in force on `day`, or None before the timeline starts."""
        current = None
        for span in self.stages:
            if span.from_ <= day:
                current = span.stage
        return current


class GroupsFile(StrictModel):
    groups: list[Group] = Field(min_length=1)
