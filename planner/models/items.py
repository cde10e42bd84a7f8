"""Content items: one model per kind, a discriminated union on `kind`.

Front matter holds the fields; the Markdown body (a Jinja2 template) is added
by the loader as `body`, with `source` and `body_line` for error messages.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.models.common import (
    GroupType,
    Id,
    OneLine,
    Stage,
    StrictModel,
    TimeOfDay,
    TimeWindow,
    Topics,
)
from planner.models.offsets import AnchorDayTime, Offset


class ItemBase(StrictModel):
    id: Id
    title: OneLine = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list)  # empty: any stage that allows the kind
    group_types: list[GroupType] = Field(default_factory=list)  # empty: every group type
    value: int = Field(default=5, ge=1, le=10)
    repeat: Literal["once", "daily", "weekly"] = "once"
    cooldown_days: int = Field(default=0, ge=0, le=365)
    window: TimeWindow | None = None  # the item may only be posted inside this local window
    promo: bool | None = None  # None: promotional when the kind is (caps.promotional_kinds)
    valid_from: date | None = None
    valid_until: date | None = None
    image: str | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str = ""  # for the operator, never posted
    atmosphere: list[str] = Field(default_factory=list)  # seeded replies for the atmosphere team
    festival: str | None = None
    topics: Topics = Field(default_factory=list)  # empty: generic, fits every group
    status: Literal["draft", "ready"] = "ready"  # drafts are never scheduled
    campaign_only: bool = False  # goes out only where a campaign binds it
    first_day_only: bool = False  # goes out only on a group's first day (rules/first_day_only.py)
    before: Offset | None = None  # bound as a reminder: this long before the campaign's anchor
    at: AnchorDayTime | None = None  # bound as a reminder: "-1d 20:00" from the anchor's day
    event_side: Literal["before", "during", "after"] | None = (
        None  # about the group's event: which side
    )
    # Filled by the loader, not by the user.
    body: str = ""
    source: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)

    @model_validator(mode="after")
    def _validity(self) -> ItemBase:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until must not come before valid_from")
        if self.before is not None and self.at is not None:
            raise ValueError('give either before or at ("-1d 20:00"), not both')
        return self


class Intro(ItemBase):
    kind: Literal["intro"]


class Welcome(ItemBase):
    kind: Literal["welcome"]


class Rules(ItemBase):
    kind: Literal["rules"]


class SelfIntro(ItemBase):
    kind: Literal["self_intro"]


class Checkin(ItemBase):
    kind: Literal["checkin"]
    points: int = Field(ge=0)
    streak_bonus: int = Field(default=0, ge=0)  # extra points every 7th day in a row


class Quiz(ItemBase):
    kind: Literal["quiz"]
    question: str = Field(min_length=1)
    options: list[str] = Field(min_length=2)
    answer: str
    points: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _answer_is_option(self) -> Quiz:
        if self.answer not in self.options:
            raise ValueError(f"answer '{self.answer}' is not one of the options {self.options}")
        return self


class Poll(ItemBase):
    kind: Literal["poll"]
    question: str = Field(min_length=1)
    options: list[str] = Field(min_length=2)
    multiple: bool = False


class Article(ItemBase):
    kind: Literal["article"]
    url: str | None = None
    author: str | None = None


class News(ItemBase):
    kind: Literal["news"]
    source_name: str | None = None


class Deal(ItemBase):
    kind: Literal["deal"]
    price: Decimal = Field(gt=0)
    original_price: Decimal = Field(gt=0)
    stock: int = Field(ge=0)
    deadline: TimeOfDay | datetime  # a time of day (same day as the post) or a date-time
    unit: str = "份"

    @model_validator(mode="after")
    def _prices(self) -> Deal:
        if self.original_price < self.price:
            raise ValueError(f"original_price {self.original_price} is below price {self.price}")
        return self


class Live(ItemBase):
    kind: Literal["live"]
    start: datetime | None = None  # None: the campaign pins it
    duration_minutes: int = Field(ge=5, le=720)
    host: str | None = None


class Lottery(ItemBase):
    kind: Literal["lottery"]
    prize: str = Field(min_length=1)
    winners: int = Field(default=1, ge=1)
    draw_at: TimeOfDay | None = None


class RedPacket(ItemBase):
    kind: Literal["red_packet"]
    amount: Decimal = Field(gt=0)
    count: int = Field(default=10, ge=1)


class UgcPrompt(ItemBase):
    kind: Literal["ugc_prompt"]


class KolSpotlight(ItemBase):
    kind: Literal["kol_spotlight"]


class OfflineEvent(ItemBase):
    kind: Literal["offline_event"]
    place: str = Field(min_length=1)
    fee: Decimal = Field(ge=0)
    capacity: int | None = Field(default=None, ge=1)
    event_at: datetime | None = None


class Survey(ItemBase):
    kind: Literal["survey"]
    url: str | None = None


class Reminder(ItemBase):
    kind: Literal["reminder"]
    of: Id | None = None  # the item this reminds of, when it is tied to one


class DissolveNotice(ItemBase):
    kind: Literal["dissolve_notice"]


Item = Annotated[
    Intro
    | Welcome
    | Rules
    | SelfIntro
    | Checkin
    | Quiz
    | Poll
    | Article
    | News
    | Deal
    | Live
    | Lottery
    | RedPacket
    | UgcPrompt
    | KolSpotlight
    | OfflineEvent
    | Survey
    | Reminder
    | DissolveNotice,
    Field(discriminator="kind"),
]

ITEM_MODELS: dict[str, type[ItemBase]] = {
    model.model_fields["kind"].annotation.__args__[0]: model  # type: ignore[union-attr]
    for model in ItemBase.__subclasses__()
}
