"""A new group's openers go once, on its first day (issue 17): `openers_once` (rules/stages.yaml)
and an item's `first_day_only`. Before, a group-buy group read a welcome on Monday and
Tuesday, three rule sets in three days, and the 建群介绍 ("send it on the day the group is
set up") on its second day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conflicts import builtin, cited, explained, requiring
from tiny import RENAME_THEME, WEEK, build, campaign, group, items_of, with_files

from planner.run.week import plan_week
from planner.verify.checker import verify

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW = [{"from": "2026-11-23", "stage": "onboarding"}]
OPENERS = ("welcome", "rules", "intro")
ITEMS = items_of(
    *[(f"{kind}{n}", kind, {"repeat": "daily", "value": 10}) for kind in OPENERS for n in (1, 2)],
    *[(f"a{n}", "article", {"repeat": "daily"}) for n in range(4)],
)


def _day(post) -> int:
    return (post.start.astimezone(SHANGHAI).date() - WEEK).days


def _openers_by_day(ws, plan) -> dict[int, list[str]]:
    days: dict[int, list[str]] = {}
    for post in plan.posts:
        if ws.items[post.item].kind in OPENERS:
            days.setdefault(_day(post), []).append(str(ws.items[post.item].kind))
    return days


def _rules_broken(ws, plan, posts) -> list[tuple[str, str, str]]:
    changed = plan.model_copy(update={"posts": posts})
    return [(v.rule, v.group, v.when) for v in verify(ws, changed)]


def test_openers_once_satisfied(tmp_path: Path) -> None:
    """Six welcome/rules/intro items worth 10 each: one of each kind on day one, none after."""
    ws = build(tmp_path, [group("g", stages=NEW)], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert {day: sorted(kinds) for day, kinds in _openers_by_day(ws, plan).items()} == {
        0: sorted(OPENERS)
    }


def test_openers_once_violated(tmp_path: Path) -> None:
    """A welcome on day two, or a second rules post on day one, breaks exactly this rule."""
    ws = build(tmp_path, [group("g", stages=NEW)], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    tuesday = next(p for p in plan.posts if _day(p) == 1)
    welcome = tuesday.model_copy(update={"item": "welcome2", "kind": "welcome"})
    posts = [welcome if p is tuesday else p for p in plan.posts]
    assert _rules_broken(ws, plan, posts) == [("openers_once", "g", "2026-11-24")]
    [rules] = [p for p in plan.posts if p.kind == "rules"]
    later = rules.start + timedelta(hours=1)
    other = "rules2" if rules.item == "rules1" else "rules1"
    twice = rules.model_copy(update={"item": other, "start": later, "end": later, "uid": "x"})
    broken = _rules_broken(ws, plan, [*plan.posts, twice])
    assert ("openers_once", "g", "2026-11-23") in broken


def test_openers_once_explained(tmp_path: Path, runner) -> None:
    """A workspace that still requires a welcome every onboarding day cannot have it once."""
    ws = tmp_path / "ws"
    rules = requiring("onboarding", {"kind": "welcome", "count": 1})
    build(ws, [group("g", stages=NEW)], ITEMS, rules)
    where = builtin("stages.yaml", "onboarding:", "openers_once:")
    words = f"stage onboarding: welcome goes only on a group's first day ({where})"
    explained(runner, ws, "group g, Tue 2026-11-24", words)


def test_openers_once_is_a_setting(tmp_path: Path) -> None:
    """`openers_once: false` in the workspace's stages.yaml gives back the daily openers."""
    rules = {"stages": {"stages": {"onboarding": {"openers_once": False}}}}
    rules["stages"]["stages"]["onboarding"]["required"] = [{"kind": "welcome", "count": 1}]
    ws = build(tmp_path, [group("g", stages=NEW)], ITEMS, rules)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert all("welcome" in kinds for kinds in _openers_by_day(ws, plan).values())
    assert len(_openers_by_day(ws, plan)) == 7


FIRST_DAY_ONLY = items_of(
    ("launch-intro", "intro", {"repeat": "daily", "value": 10, "first_day_only": True}),
    *[(f"a{n}", "article", {"repeat": "daily"}) for n in range(4)],
)
LAUNCHED = [{"from": "2026-11-24", "stage": "launch"}]  # its first day is Tuesday


def test_first_day_only_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g", stages=LAUNCHED)], FIRST_DAY_ONLY, requiring("launch"))
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert [_day(p) for p in plan.posts if p.item == "launch-intro"] == [1]


def test_first_day_only_violated(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g", stages=LAUNCHED)], FIRST_DAY_ONLY, requiring("launch"))
    plan = plan_week(ws, WEEK, workers=1)
    wednesday = next(p for p in plan.posts if _day(p) == 2)
    intro = wednesday.model_copy(update={"item": "launch-intro", "kind": "intro"})
    posts = [intro if p is wednesday else p for p in plan.posts]
    assert [rule for rule, _, _ in _rules_broken(ws, plan, posts)] == ["first_day_only"]


def test_first_day_only_explained(tmp_path: Path, runner) -> None:
    """The only intro is the first-day one: launch's daily intro has none on Tuesday."""
    ws = tmp_path / "ws"
    items = items_of(("launch-intro", "intro", {"repeat": "daily", "first_day_only": True}))
    rules = requiring("launch", {"kind": "intro", "count": 1})
    build(ws, [group("g", stages=[{"from": "2026-11-23", "stage": "launch"}])], items, rules)
    where = cited(ws / "content_library" / "intro" / "launch-intro.md", "first_day_only:")
    words = f"launch-intro goes only on a group's first day ({where})"
    explained(runner, ws, "group g, Tue 2026-11-24", words)


# -- opens_by: the first day opens in the morning ------------------------------------------

EVENING = {  # one evening peak: without opens_by every post of day one goes there
    "peaks": {"default": {"weekday": [{"name": "evening", "window": "19:00-22:00", "weight": 5}]}}
}


def test_a_first_day_opens_with_its_welcome_by_noon(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g", stages=NEW)], ITEMS, EVENING)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    monday = sorted((p for p in plan.posts if _day(p) == 0), key=lambda p: p.start)
    assert monday[0].kind == "welcome" and monday[0].start.astimezone(SHANGHAI).hour < 12
    evening = monday[0].start.astimezone(SHANGHAI).replace(hour=19, minute=0)
    late = [p.model_copy(update={"start": evening}) if p is monday[0] else p for p in plan.posts]
    found = verify(ws, plan.model_copy(update={"posts": late}))
    assert "day one's welcome comes after 12:00" in " ".join(map(str, found))


def test_a_first_day_that_cannot_open_by_noon_is_explained(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    build(ws, [group("g", stages=NEW, caps={"quiet_hours": "22:30-12:30"})], ITEMS)
    where = builtin("stages.yaml", "onboarding:", "opens_by:")
    words = f"a group's first day opens with its welcome by 12:00 ({where})"
    explained(runner, ws, "group g, Mon 2026-11-23", words)


def test_a_reactivation_opens_with_its_rename_notice_by_noon(tmp_path: Path) -> None:
    """The rename notice was day one's first post, but at 19:30 after a silent day."""
    wake = campaign("wake", "reactivation", RENAME_THEME, start="2026-11-23")
    own = (("rename", "intro", {}), ("theme", "intro", {}), ("ck", "checkin", {"repeat": "daily"}))
    items = [*ITEMS, *items_of(*own)]
    stages = [{"from": "2026-11-01", "stage": "retention"}]
    ws = with_files(tmp_path, [group("g", stages=stages)], items, EVENING, campaigns=[wake])
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    monday = sorted((p for p in plan.posts if _day(p) == 0), key=lambda p: p.start)
    assert [p.item for p in monday[:2]] == ["rename", "theme"]
    assert monday[0].start.astimezone(SHANGHAI).hour < 12


EVENINGS_ONLY = {"operators": {"op": {"hours": {"weekday": "18:00-22:30", "weekend": "off"}}}}


def test_an_evening_operator_opens_a_first_day_when_they_start(tmp_path: Path) -> None:
    """opens_by asks for a morning nobody works: the group still opens with its welcome,
    in the evening, and is planned (it was left out)."""
    ws = build(tmp_path, [group("g", stages=NEW)], ITEMS, EVENING, EVENINGS_ONLY)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    monday = sorted((p for p in plan.posts if _day(p) == 0), key=lambda p: p.start)
    assert monday and monday[0].kind == "welcome"
    assert monday[0].start.astimezone(SHANGHAI).hour >= 18


def test_an_evening_operator_renames_a_reactivated_group_when_they_start(tmp_path: Path) -> None:
    wake = campaign("wake", "reactivation", RENAME_THEME, start="2026-11-23")
    own = (("rename", "intro", {}), ("theme", "intro", {}), ("ck", "checkin", {"repeat": "daily"}))
    stages = [{"from": "2026-11-01", "stage": "retention"}]
    ws = with_files(
        tmp_path,
        [group("g", stages=stages)],
        [*ITEMS, *items_of(*own)],
        EVENING,
        campaigns=[wake],
        settings=EVENINGS_ONLY,
    )
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    monday = sorted((p for p in plan.posts if _day(p) == 0), key=lambda p: p.start)
    assert [p.item for p in monday[:2]] == ["rename", "theme"]
    assert monday[0].start.astimezone(SHANGHAI).hour >= 18
