"""Topics (#17): an item about a business goes only to groups of that business, unless a
campaign binds it; built-in items of other businesses never reach a workspace that does not
share their topics, whether or not it sets any."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import line_of
from test_campaigns import with_campaigns
from test_scheduler_rules import NO_REQUIRED, add, at, post, rules_broken, solve
from tiny import WEEK, build, group, items_of

from planner.cli import main

ARTICLES = items_of(
    ("tea-art", "article", {"repeat": "daily", "value": 9, "topics": ["tea"]}),
    ("coffee-art", "article", {"repeat": "daily", "value": 9, "topics": ["Coffee "]}),
    ("any-art", "article", {"repeat": "daily", "value": 3}),
)
GROUPS = [
    group("tea"),  # planner.yaml's default topics
    group("coffee", topics=["coffee"]),
    group("plain", topics=[]),  # generic items only, whatever the default
]


def items_by_group(plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in plan.posts:
        out.setdefault(p.group, set()).add(p.item)
    return out


def test_topics_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, GROUPS, ARTICLES, NO_REQUIRED, {"topics": ["tea"]})
    got = items_by_group(solve(ws))
    assert got["tea"] == {"tea-art", "any-art"}
    assert got["coffee"] == {"coffee-art", "any-art"}  # "Coffee " is the topic coffee
    assert got["plain"] == {"any-art"}


def test_topics_violated(tmp_path: Path) -> None:
    ws = build(tmp_path, GROUPS, ARTICLES, NO_REQUIRED, {"topics": ["tea"]})
    plan = solve(ws)
    monday = [p.start for p in plan.posts if p.group == "coffee" and p.start.date() == WEEK]
    free = next(
        at(0, t)
        for t in ("10:00", "15:00", "21:00")
        if all(abs(at(0, t) - s) >= timedelta(hours=2) for s in monday)
    )
    assert rules_broken(ws, add(plan, post(ws, "coffee", "tea-art", free))) == {"topics"}
    assert rules_broken(ws, add(plan, post(ws, "plain", "tea-art", free))) == {"topics"}


def test_topics_explained(tmp_path: Path, runner) -> None:
    """A stage requires a check-in; the only check-in is about yoga, the group about tea."""
    items = items_of(
        ("ck", "checkin", {"repeat": "daily", "topics": ["yoga"]}),
        ("tea-art", "article", {"topics": ["tea"]}),
    )
    build(tmp_path / "ws", [group("g", topics=["tea"])], items)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    item = tmp_path / "ws" / "content_library" / "checkin" / "ck.md"
    groups = tmp_path / "ws" / "groups.yaml"
    assert "stage retention requires 1 post (checkin 07:00-09:30)" in result.stderr
    assert f"ck is about yoga ({item}:{line_of(item, 'topics:')})" in result.stderr
    assert f"group g is about tea ({groups}:{line_of(groups, 'topics:')})" in result.stderr


def launch(group_id: str) -> dict:
    """A launch campaign binding the items `teaser` and `launch` to one group."""
    return {
        "id": "tea-launch",
        "kind": "launch",
        "name": "冬茶上新",
        "targets": {"groups": [group_id]},
        "launch_at": "2026-11-26 20:00",
        "deadline": "2026-11-28 22:00",
        "items": [{"item": "teaser", "role": "teaser"}, {"item": "launch", "role": "launch"}],
    }


def test_a_campaign_binds_an_item_whatever_its_topics(tmp_path: Path) -> None:
    items = ARTICLES + items_of(
        ("teaser", "news", {"topics": ["tea"]}), ("launch", "news", {"topics": ["tea"]})
    )
    ws = with_campaigns(tmp_path, [group("coffee", topics=["coffee"])], items, [launch("coffee")])
    plan = solve(ws)  # verifies: a bound post breaks no topics rule
    assert {"teaser", "launch"} <= items_by_group(plan)["coffee"]
    assert "tea-art" not in items_by_group(plan)["coffee"]


def test_check_warns_of_a_topic_no_item_carries(tmp_path: Path, runner) -> None:
    items = items_of(("coffee-beans", "article", {"topics": ["coffee"]}))
    build(
        tmp_path,
        [group("g"), group("camp", topics=["barsita"])],
        items,
        None,
        {"topics": ["cofee"]},
    )
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    settings, groups = tmp_path / "planner.yaml", tmp_path / "groups.yaml"
    unknown = "warning: no item of the library has topic"
    assert (
        f"{settings}:{line_of(settings, 'cofee')}: {unknown} 'cofee' (a typo?); "
        "did you mean 'coffee'?"
    ) in result.stderr
    assert f"{groups}:{line_of(groups, 'barsita')}: {unknown} 'barsita'" in result.stderr
    own = tmp_path / "content_library" / "article" / "coffee-beans.md"
    assert f"{own}:{line_of(own, 'topics:')}: warning: no group shares the topics" in result.stderr
