"""Topics (#17): an item about a business goes only to groups of that business, unless a
campaign binds it; built-in items of other businesses never reach a workspace that does not
share their topics, whether or not it sets any."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import line_of, write
from test_campaigns import with_campaigns
from test_scheduler_rules import NO_REQUIRED, add, at, post, rules_broken, solve
from tiny import WEEK, build, group, items_of

from planner.cli import main
from planner.errors import Findings
from planner.run.week import plan_week
from planner.verify.checker import verify
from planner.workspace.check import check_workspace
from planner.workspace.library import load_library
from planner.workspace.resources import builtin_library

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


def test_an_event_group_is_dissolved_with_a_notice_fit_for_it(tmp_path: Path) -> None:
    """Without a campaign the planner picks the dissolve notice itself: never a draft, never
    one about another business."""
    items = items_of(
        ("bye-draft", "dissolve_notice", {"status": "draft", "value": 10}),
        ("bye-tea", "dissolve_notice", {"topics": ["tea"], "value": 10}),
        ("bye", "dissolve_notice", {"value": 1}),
    )
    event = group("g", gtype="short_event", stage="activation", event_end="2026-11-22")
    ws = build(tmp_path, [{**event, "topics": ["coffee"]}], ARTICLES + items, NO_REQUIRED)
    notices = [p.item for p in solve(ws).posts if p.kind == "dissolve_notice"]
    assert notices == ["bye"]


# A coffee shop built from the README: every group type, its own coffee items, the built-in
# library for the rest. Before topics, parenting articles and grocery deals leaked in.
COFFEE_GROUPS = [
    group("regulars", stages=[{"from": "2026-11-01", "stage": "retention"}]),
    group(
        "new-buyers",
        gtype="group_buy",
        stages=[
            {"from": "2026-11-22", "stage": "onboarding"},
            {"from": "2026-11-25", "stage": "activation"},
        ],
    ),
    group("barista-camp", gtype="training_camp", stage="activation"),
    group("tasting", gtype="short_event", stage="activation", event_end="2026-11-28"),
    group("sleepy-fans", gtype="fan", stage="reactivation"),
]
OTHER_BUSINESSES = {"article-parenting", "deal-eggs-break-even", "article-pm-skills"}


def coffee_shop(root: Path, settings: dict) -> None:
    build(root, COFFEE_GROUPS, [], settings={"use_builtin_library": True, **settings})
    write(
        root / "content_library" / "article" / "coffee-beans.md",
        "---\nid: coffee-beans\nkind: article\ntitle: 今天的豆子\ntopics: [coffee]\n"
        "repeat: weekly\nvalue: 9\n---\n{{ group.name }}：今天的手冲豆子是耶加雪菲。\n",
    )


def planned_items(root: Path) -> tuple[set[str], dict]:
    ws, findings = check_workspace(root)
    assert ws is not None and not findings.errors, findings.errors
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert all(r.status in ("optimal", "feasible") for r in plan.problems), plan.problems
    return {p.item for p in plan.posts}, ws.items


def test_a_coffee_shop_gets_no_post_of_another_business(tmp_path: Path) -> None:
    coffee_shop(tmp_path, {"topics": ["coffee"]})
    posted, items = planned_items(tmp_path)
    assert not posted & OTHER_BUSINESSES
    assert {topic for i in posted for topic in items[i].topics} == {"coffee"}
    assert "coffee-beans" in posted  # a topic-sharing group gets the shop's own item


def test_a_workspace_without_topics_gets_only_generic_built_in_items(tmp_path: Path) -> None:
    coffee_shop(tmp_path, {})
    posted, items = planned_items(tmp_path)
    assert not posted & OTHER_BUSINESSES
    assert [i for i in posted if items[i].topics] == []


def test_every_built_in_business_topic_is_documented() -> None:
    library = load_library(builtin_library(), None, Findings())
    topics = {topic for item in library.items.values() for topic in item.topics}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    listed = readme[readme.index("Built-in topics") :].split("\n\n")[0]
    assert topics and [t for t in sorted(topics) if f"`{t}`" not in listed] == []
