"""locks.yaml: the user's own word on single posts, which every plan honours."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from planner.models.common import Id, StrictModel


class Lock(StrictModel):
    """Pin an item at a time, forbid an item (on a date or all week), or keep a date free.

    - `{group, item, at}`: this post goes out exactly then.
    - `{group, item, forbid: true[, date]}`: never this item (on that date).
    - `{group, date, no_posts: true}`: nothing in this group that day.
    """

    group: Id
    item: Id | None = None
    at: dt.datetime | None = None
    date: dt.date | None = None
    forbid: bool = False
    no_posts: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _one_meaning(self) -> Lock:
        if self.no_posts:
            if self.date is None or self.item is not None or self.at is not None or self.forbid:
                raise ValueError("no_posts takes a group and a date only")
        elif self.forbid:
            if self.item is None or self.at is not None:
                raise ValueError("forbid takes a group, an item and optionally a date")
        elif self.item is None or self.at is None:
            raise ValueError(
                "a lock is {group, item, at} (pin), {group, item, forbid: true} or "
                "{group, date, no_posts: true}"
            )
        return self


class LocksFile(StrictModel):
    locks: list[Lock] = Field(default_factory=list)
