"""planner.yaml: the workspace's settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from planner.models.common import Id, StrictModel, TimeZoneName, Topics


class OperatorSettings(StrictModel):
    """One operator; capacity overrides the rule pack's `operator` default."""

    name: str | None = None
    max_posts: int | None = Field(default=None, ge=1)
    window_minutes: int | None = Field(default=None, ge=1, le=1440)


class Settings(StrictModel):
    """Workspace-wide settings; every figure here is a default the user may change."""

    name: str = Field(min_length=1)
    timezone: TimeZoneName = "Asia/Shanghai"
    locale: Literal["zh-CN", "en"] = "zh-CN"
    slot_minutes: int = Field(default=15, ge=5, le=120)
    alarm_minutes: int = Field(default=10, ge=0, le=1440)
    operators: dict[Id, OperatorSettings] = Field(default_factory=dict)
    use_builtin_library: bool = True  # false: plan only with the workspace's own items
    topics: Topics = Field(default_factory=list)  # the topics of every group that sets none
    # Above this many posts, calendar.ics lists the operators' calendars instead of every
    # event: no calendar app imports a hundred thousand events.
    whole_calendar_max_posts: int = Field(default=5000, ge=0)
    # Above this many posts, index.html links each operator's page operators/<id>.html
    # instead of holding every post: no phone opens a page of a hundred megabytes.
    whole_page_max_posts: int = Field(default=5000, ge=0)

    @field_validator("slot_minutes")
    @classmethod
    def _divides_day(cls, value: int) -> int:
        if 1440 % value:
            raise ValueError(
                f"slot_minutes {value} does not divide a day (1440 minutes); use e.g. 10, 15 or 30"
            )
        return value
