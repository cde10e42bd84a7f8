"""Every user-facing model: a valid instance, and each way it can be wrong."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from planner.models import Group, Settings, TimeWindow
from planner.models.campaigns import Campaign, CampaignsFile
from planner.models.common import GroupType, Kind, Stage
from planner.models.items import ITEM_MODELS, Item
from planner.models.rules import GroupTypesPack, StageRule, StagesPack

ITEM = TypeAdapter(Item)
CAMPAIGN = TypeAdapter(Campaign)

# The smallest valid front matter of every kind.
MINIMAL = {
    "intro": {},
    "welcome": {},
    "rules": {},
    "self_intro": {},
    "checkin": {"points": 5},
    "quiz": {"question": "?", "options": ["a", "b"], "answer": "a"},
    "poll": {"question": "?", "options": ["a", "b"]},
    "article": {},
    "news": {},
    "deal": {"price": 9.9, "original_price": 19.9, "stock": 10, "deadline": "22:00"},
    "live": {"duration_minutes": 60},
    "lottery": {"prize": "茶具一套"},
    "red_packet": {"amount": 200},
    "ugc_prompt": {},
    "kol_spotlight": {},
    "offline_event": {"place": "静安店", "fee": 30},
    "survey": {},
    "reminder": {},
    "dissolve_notice": {},
}
REQUIRED = {kind: set(fields) for kind, fields in MINIMAL.items()}


def test_every_kind_has_a_model() -> None:
    assert set(ITEM_MODELS) == {k.value for k in Kind} == set(MINIMAL)


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_minimal_item_of_each_kind(kind: str) -> None:
    item = ITEM.validate_python(
        {"id": f"x-{kind.replace('_', '-')}", "kind": kind, "title": "t", **MINIMAL[kind]}
    )
    assert item.kind == kind and item.value == 5 and item.repeat == "once"


@pytest.mark.parametrize("kind", sorted(k for k, v in REQUIRED.items() if v))
def test_kind_specific_fields_are_required(kind: str) -> None:
    for missing in REQUIRED[kind]:
        fields = {k: v for k, v in MINIMAL[kind].items() if k != missing}
        with pytest.raises(ValidationError) as info:
            ITEM.validate_python({"id": "x", "kind": kind, "title": "t", **fields})
        assert any(e["type"] == "missing" and e["loc"][-1] == missing for e in info.value.errors())


@pytest.mark.parametrize(
    ("kind", "change", "fragment"),
    [
        ("quiz", {"answer": "c"}, "is not one of the options"),
        ("deal", {"original_price": 5}, "is below price"),
        ("deal", {"price": 0}, "greater than 0"),
        ("checkin", {"points": -1}, "greater than or equal"),
        ("poll", {"options": ["only"]}, "at least 2"),
        ("live", {"duration_minutes": 2}, "greater than or equal"),
        ("intro", {"value": 11}, "less than or equal"),
        ("intro", {"valid_from": "2026-12-01", "valid_until": "2026-11-01"}, "valid_until"),
        ("intro", {"window": "9:00-9:00"}, "different start and end"),
        ("intro", {"id": "Bad_Id"}, "not a valid id"),
        ("intro", {"stages": ["retain"]}, "retention"),
        ("intro", {"colour": "red"}, "Extra inputs"),
    ],
)
def test_item_errors(kind: str, change: dict, fragment: str) -> None:
    data = {"id": "x", "kind": kind, "title": "t", **MINIMAL[kind], **change}
    with pytest.raises(ValidationError) as info:
        ITEM.validate_python(data)
    assert fragment in str(info.value)


def test_time_window() -> None:
    quiet = TimeWindow.model_validate("22:30-7:00")
    assert quiet.minutes() == (22 * 60 + 30, 31 * 60)
    assert quiet.contains(23 * 60) and quiet.contains(6 * 60) and not quiet.contains(12 * 60)
    morning = TimeWindow.model_validate({"start": "07:00", "end": "09:00"})
    assert morning.minutes() == (420, 540) and str(morning) == "07:00-09:00"
    with pytest.raises(ValidationError, match="HH:MM-HH:MM"):
        TimeWindow.model_validate("morning")


def test_settings() -> None:
    settings = Settings.model_validate({"name": "x"})
    assert settings.timezone == "Asia/Shanghai" and settings.slot_minutes == 15
    with pytest.raises(ValidationError, match="Asia/Shanghai"):
        Settings.model_validate({"name": "x", "timezone": "Asia/Shanghia"})
    with pytest.raises(ValidationError, match="does not divide a day"):
        Settings.model_validate({"name": "x", "slot_minutes": 7})
    with pytest.raises(ValidationError):
        Settings.model_validate({"name": "x", "locale": "fr"})


GROUP = {
    "id": "tea",
    "name": "茶友群",
    "type": "long_term",
    "operator": "wang",
    "stages": [
        {"from": "2026-11-01", "stage": "retention"},
        {"from": "2026-11-26", "stage": "conversion"},
    ],
}


def test_group_stage_timeline() -> None:
    group = Group.model_validate(GROUP)
    assert group.stage_on(date(2026, 10, 31)) is None
    assert group.stage_on(date(2026, 11, 25)) == Stage.retention
    assert group.stage_on(date(2026, 11, 26)) == Stage.conversion


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            {
                "stages": [
                    {"from": "2026-11-26", "stage": "retention"},
                    {"from": "2026-11-01", "stage": "culture"},
                ]
            },
            "out of order",
        ),
        (
            {
                "stages": [
                    {"from": "2026-11-01", "stage": "retention"},
                    {"from": "2026-11-01", "stage": "culture"},
                ]
            },
            "overlaps",
        ),
        ({"stages": []}, "at least 1"),
        ({"event_end": "2026-11-29"}, "only for short_event"),
        ({"type": "groupbuy"}, "group_buy"),
        ({"timezone": "Mars/Base"}, "unknown time zone"),
        ({"timezone": "Asia"}, "unknown time zone 'Asia'"),  # a folder of the zone database
        ({"timezone": "../../etc"}, "unknown time zone"),
        ({"members": -3}, "greater than or equal"),
    ],
)
def test_group_errors(change: dict, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        Group.model_validate({**GROUP, **change})
    assert fragment in str(info.value)


def test_short_event_group_takes_event_end() -> None:
    group = Group.model_validate({**GROUP, "type": "short_event", "event_end": "2026-11-25"})
    assert group.event_end == date(2026, 11, 25)


TARGETS = {"groups": ["tea"]}
CAMPAIGNS = [
    {
        "kind": "launch",
        "launch_at": "2026-11-26 10:00",
        "deadline": "2026-11-29 22:00",
        "items": [{"item": "a", "role": "teaser"}, {"item": "b", "role": "last_call"}],
    },
    {"kind": "live", "start": "2026-11-25 20:00", "items": [{"item": "a", "role": "live"}]},
    {
        "kind": "seven_day_retention",
        "acquired_on": "2026-11-22",
        "items": [{"item": "a", "role": "deal"}],
    },
    {
        "kind": "training_camp",
        "start": "2026-11-09",
        "end": "2026-11-29",
        "items": [{"item": "a", "role": "value"}],
    },
    {
        "kind": "short_event",
        "start": "2026-11-20",
        "end": "2026-11-25",
        "items": [{"item": "a", "role": "dissolve"}],
    },
    {"kind": "reactivation", "start": "2026-11-23", "items": [{"item": "a", "role": "rename"}]},
]


@pytest.mark.parametrize("data", CAMPAIGNS, ids=[c["kind"] for c in CAMPAIGNS])
def test_campaign_kinds(data: dict) -> None:
    campaign = CAMPAIGN.validate_python({"id": "c", "name": "活动", "targets": TARGETS, **data})
    assert campaign.kind == data["kind"]
    bad = {**data, "items": [{"item": "a", "role": "nonsense"}]}
    with pytest.raises(ValidationError, match="is not a role of"):
        CAMPAIGN.validate_python({"id": "c", "name": "活动", "targets": TARGETS, **bad})


def test_campaign_errors() -> None:
    base = {"id": "c", "name": "活动", "targets": TARGETS, **CAMPAIGNS[0]}
    with pytest.raises(ValidationError, match="deadline must come after"):
        CAMPAIGN.validate_python({**base, "deadline": "2026-11-20 10:00"})
    with pytest.raises(ValidationError, match="at least one of groups, tags or types"):
        CAMPAIGN.validate_python({**base, "targets": {}})
    with pytest.raises(ValidationError, match=r"does not match any of the expected tags"):
        CAMPAIGN.validate_python({**base, "kind": "webinar"})
    assert CampaignsFile.model_validate({}).campaigns == []


def test_stage_rule_consistency() -> None:
    with pytest.raises(ValidationError, match="not among the stage's allowed kinds"):
        StageRule.model_validate({"kinds": {"quiz": 3}, "required": [{"kind": "checkin"}]})
    with pytest.raises(ValidationError, match="more than 1"):
        StageRule.model_validate({"kinds": {"quiz": 3}, "mix": {"quiz": 0.7, "poll": 0.6}})
    with pytest.raises(ValidationError, match="stages missing"):
        StagesPack.model_validate({"stages": {"activation": {"kinds": {"quiz": 1}}}})
    with pytest.raises(ValidationError, match="group types missing"):
        GroupTypesPack.model_validate({"group_types": {GroupType.fan: {"label": "粉丝群"}}})
