"""The rule catalogue is complete: every rule and objective term has all its parts and a
satisfied/violated pair on a tiny instance (issue 16).

`PAIRS` names each rule's and term's pair: the solver's plan verifies clean (or scores as
the solver said), and a plan changed by one post breaks exactly that rule (or moves
objective_of by exactly that term's amount). Pairs already written in
test_scheduler_rules.py and test_campaigns.py are referenced, not repeated. Adding a rule
or a term without its pair fails `test_every_rule_and_term_has_a_pair`; a rule that can be
in a conflict without an explainer test (test_catalogue_explain.py,
test_catalogue_filters.py) fails `test_every_rule_that_can_conflict_has_an_explainer_test`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import test_campaigns as campaigns
import test_catalogue_explain as explain
import test_catalogue_filters as filters
import test_scheduler_rules as scheduler_rules
from conflicts import CONFLICTS
from test_scheduler_rules import NO_REQUIRED, at, day_posts, moved, rules_broken, solve
from tiny import (
    DEADLINE,
    LAUNCH,
    RENAME_THEME,
    WEEK,
    build,
    campaign,
    group,
    items_of,
    with_files,
)

from planner.campaigns.build import playbook
from planner.plan import Plan, Post
from planner.rules.catalogue import BY_NAME, RULES, TERMS, Rule, Term
from planner.rules.mix import mix_target
from planner.run.history import History
from planner.run.revisions import LastRun
from planner.solver.problem import build_problem
from planner.solver.solve import solve as solve_problem
from planner.verify.checker import Checker
from planner.verify.objective import objective_of
from planner.workspace.load import Workspace

PAIRS: dict[str, Callable] = {
    "stage": scheduler_rules.test_item_window_and_stage,
    "group_type": scheduler_rules.test_validity_group_type_and_slot_grid,
    "validity": scheduler_rules.test_validity_group_type_and_slot_grid,
    "item_window": scheduler_rules.test_item_window_and_stage,
    "quiet_hours": scheduler_rules.test_quiet_hours,
    "one_post_per_slot": scheduler_rules.test_one_post_per_slot,
    "per_day_cap": scheduler_rules.test_per_day_cap,
    "per_hour_cap": scheduler_rules.test_per_hour_cap,
    "min_gap": scheduler_rules.test_min_gap_across_midnight,
    "kind_per_week": scheduler_rules.test_kind_per_day_and_week,
    "promo_share": scheduler_rules.test_promo_share,
    "required_post": scheduler_rules.test_required_post,
    "item_reuse": scheduler_rules.test_item_reuse_once_and_cooldown,
    "campaign_need": campaigns.test_launch,
    "well_formed": scheduler_rules.test_validity_group_type_and_slot_grid,
}


def pair(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated test as the satisfied/violated pair of rule or term `name`."""

    def register(test: Callable) -> Callable:
        PAIRS[name] = test
        return test

    return register


# -- completeness ------------------------------------------------------------------------


def _doc_of(part: Callable) -> str:
    return sys.modules[part.__module__].__doc__ or ""


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_rule_has_its_parts(rule: Rule) -> None:
    """Settings, a check, a sentence, and one way to hold: a constraint, a candidate filter
    that says why it refuses, or a builder that cannot break it (its module says why)."""
    assert rule.summary and rule.settings
    assert callable(rule.check) and callable(rule.explain)
    ways = [rule.constrain is not None, rule.admits is not None, rule.by_construction]
    assert ways.count(True) == 1, rule.name
    if rule.admits is not None:
        assert callable(rule.admits) and callable(rule.refuses)
        assert rule.level in ("item", "day", "slot")
    else:
        assert rule.refuses is None and rule.level == "model"
    if rule.constrain is not None:
        assert callable(rule.constrain)
    assert rule.check.__module__ == f"planner.rules.{rule.name}"  # one rule, one module
    assert _doc_of(rule.check).startswith(f"{rule.name}: ")
    if rule.by_construction:
        assert "no constraint" in " ".join(_doc_of(rule.check).split())


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.name)
def test_every_term_has_its_parts(term: Term) -> None:
    assert term.summary and term.settings
    assert callable(term.add) and callable(term.score) and callable(term.describe)
    assert term.add.__module__ == f"planner.rules.{term.name}"
    assert _doc_of(term.add).startswith(f"{term.name}: ")


def _named_tests() -> set[str]:
    """Names of every test function in tests/test_*.py: a rule's own tests may live in a
    module of their own, named test_<rule>_satisfied / _violated / _explained."""
    names: set[str] = set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        names |= set(re.findall(r"^def (test_\w+)\(", path.read_text("utf-8"), re.M))
    return names


def test_every_rule_and_term_has_a_pair() -> None:
    names = set(BY_NAME) | {term.name for term in TERMS}
    tests = _named_tests()
    named = {n for n in names if {f"test_{n}_satisfied", f"test_{n}_violated"} <= tests}
    missing = sorted(names - set(PAIRS) - named)
    assert missing == [], "rules or terms without a satisfied/violated pair"
    assert sorted(set(PAIRS) - names) == [], "pairs of rules or terms the catalogue lacks"
    for test in PAIRS.values():  # each is a test pytest collects, in a test module
        assert test.__name__.startswith("test_") and test.__module__.startswith("test_")


def test_every_rule_that_can_conflict_has_an_explainer_test() -> None:
    """Every rule but those the problem builder cannot break is named, with the file:line
    of its setting, by a test in test_catalogue_explain.py or test_catalogue_filters.py."""
    can_conflict = {rule.name for rule in RULES if not rule.by_construction}
    tests = _named_tests()
    named = {name for name in can_conflict if f"test_{name}_explained" in tests}
    assert sorted(can_conflict - set(CONFLICTS) - named) == []
    assert sorted(set(CONFLICTS) - can_conflict) == []
    modules = {explain.__name__, filters.__name__}
    assert {test.__module__ for tests in CONFLICTS.values() for test in tests} == modules


# -- helpers -----------------------------------------------------------------------------

FILLER = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(4)])


def swapped(ws: Workspace, plan: Plan, victim: Post, item_id: str) -> Plan:
    """The plan with `victim` replaced by `item_id` in the same slot (stage, end kept)."""
    item = ws.items[item_id]
    other = victim.model_copy(update={"item": item.id, "kind": item.kind, "title": item.title})
    return plan.model_copy(update={"posts": [other if p is victim else p for p in plan.posts]})


def of(plan: Plan, item: str) -> list[Post]:
    return [p for p in plan.posts if p.item == item]


# -- rule pairs not written elsewhere ----------------------------------------------------


@pair("kind_per_day")
def test_kind_per_day_alone(tmp_path: Path) -> None:
    quizzes = items_of(*[(f"q{n}", "quiz", {"repeat": "daily", "value": 10}) for n in range(2)])
    caps = {"kinds": {"quiz": {"per_day": 1}}}
    ws = build(tmp_path, [group("g", caps=caps)], FILLER + quizzes, NO_REQUIRED)
    plan = solve(ws)
    assert [sum(p.kind == "quiz" for p in day_posts(plan, "g", d)) for d in range(7)] == [1] * 7
    todays = day_posts(plan, "g", 2)
    quiz = next(p for p in todays if p.kind == "quiz")
    article = next(p for p in todays if p.kind == "article")
    second = "q1" if quiz.item == "q0" else "q0"
    assert rules_broken(ws, swapped(ws, plan, article, second)) == {"kind_per_day"}


@pair("operator_capacity")
def test_operator_capacity_alone(tmp_path: Path) -> None:
    groups = [group("g1", caps={"per_day": 1}), group("g2", caps={"per_day": 1})]
    settings = {"operators": {"op": {"max_posts": 1, "window_minutes": 60}}}
    ws = build(tmp_path, groups, FILLER, NO_REQUIRED, settings)
    plan = solve(ws)
    starts = sorted(p.start for p in plan.posts)
    assert len(starts) == 14
    assert all(b - a >= timedelta(minutes=60) for a, b in pairwise(starts))
    [one], [other] = day_posts(plan, "g1", 0), day_posts(plan, "g2", 0)
    near = one.start + timedelta(minutes=30 if one.start.hour < 21 else -30)
    assert rules_broken(ws, moved(plan, other, near)) == {"operator_capacity"}


@pair("campaign_window")
def test_campaign_window_alone(tmp_path: Path) -> None:
    roles = {"l1": "launch", "l2": "launch"}  # the second may go out until the deadline
    launch = campaign("tea", "launch", roles, launch_at=LAUNCH, deadline=DEADLINE)
    items = FILLER + items_of(("l1", "news", {}), ("l2", "news", {"repeat": "daily"}))
    ws = with_files(tmp_path, [group("g")], items, NO_REQUIRED, campaigns=[launch])
    plan = solve(ws)
    assert all(at(3, "20:00") <= p.start < at(5, "22:00") for p in of(plan, "l2"))
    monday = day_posts(plan, "g", 0)[0]
    assert rules_broken(ws, swapped(ws, plan, monday, "l2")) == {"campaign_window"}


@pair("campaign_ban")
def test_campaign_ban_alone(tmp_path: Path) -> None:
    lock = {"group": "g", "item": "a3", "forbid": True, "date": "2026-11-25"}
    ws = with_files(tmp_path, [group("g")], FILLER, NO_REQUIRED, locks=[lock])
    plan = solve(ws)
    assert of(plan, "a3") and not [p for p in day_posts(plan, "g", 2) if p.item == "a3"]
    wednesday = day_posts(plan, "g", 2)[0]
    assert rules_broken(ws, swapped(ws, plan, wednesday, "a3")) == {"campaign_ban"}


@pair("campaign_order")
def test_campaign_order_alone(tmp_path: Path) -> None:
    wake = campaign("wake", "reactivation", RENAME_THEME, start="2026-11-23")
    items = FILLER + items_of(("rename", "intro", {}), ("theme", "intro", {}))
    # The notice may go any time on day one (no opens_by): exchanged, it breaks no window.
    stages = {**NO_REQUIRED["stages"]["stages"], "reactivation": {"required": [], "opens_by": None}}
    rules = {"stages": {"stages": stages}}
    ws = with_files(tmp_path, [group("g", gtype="fan")], items, rules, campaigns=[wake])
    plan = solve(ws)
    [rename], [theme] = of(plan, "rename"), of(plan, "theme")
    assert rename.start < theme.start and theme.start.date() == WEEK
    exchanged = swapped(ws, swapped(ws, plan, rename, "theme"), theme, "rename")
    assert rules_broken(ws, exchanged) == {"campaign_order"}


@pair("live_overlap")
def test_live_overlap_alone(tmp_path: Path) -> None:
    show = ("show", "live", {"start": "2026-11-25 20:00", "value": 10})
    caps = {"per_day": 2, "min_gap_minutes": 0}
    ws = build(tmp_path, [group("g", caps=caps)], FILLER + items_of(show), NO_REQUIRED)
    plan = solve(ws)
    [live] = of(plan, "show")
    assert live.start == at(2, "20:00") and live.end == at(2, "21:00")
    [other] = [p for p in day_posts(plan, "g", 2) if p is not live]
    assert not live.start < other.start < live.end
    assert rules_broken(ws, moved(plan, other, at(2, "20:30"))) == {"live_overlap"}


@pair("campaign_only")
def test_campaign_only_alone(tmp_path: Path) -> None:
    show = ("show", "live", {"value": 10})  # no start: it goes out only in a campaign
    ws = build(tmp_path, [group("g")], FILLER + items_of(show), NO_REQUIRED)
    plan = solve(ws)
    assert not of(plan, "show")
    tuesday = day_posts(plan, "g", 1)[0]
    assert rules_broken(ws, swapped(ws, plan, tuesday, "show")) == {"campaign_only"}


# -- objective terms ---------------------------------------------------------------------

# Every slot worth BASE_WEIGHT (no peaks); culture asks no required post, and its mix
# (ugc_prompt, kol_spotlight) only of kinds these tests never post.
BASE_WEIGHT = 2
FLAT = {
    "peaks": {"base_weight": BASE_WEIGHT, "default": {"weekday": [], "weekend": []}},
}


def culture(root: Path, items: list[dict], per_day: int, fits: dict | None = None) -> Workspace:
    """A culture group; `fits`: the stage fit of some kinds, in place of the built-in ones."""
    rules = {**FLAT, "stages": {"stages": {"culture": {"kinds": fits}}}} if fits else FLAT
    return build(root, [group("g", stage="culture", caps={"per_day": per_day})], items, rules)


def term_score(ws: Workspace, plan: Plan, name: str, history: History | None = None) -> int:
    term = next(t for t in TERMS if t.name == name)
    weight = getattr(ws.rules.stages.objective, term.weight) if term.weight else 1
    return term.score(Checker(ws, plan, history), weight)


@pair("value")
def test_value_term(tmp_path: Path) -> None:
    items = items_of(
        ("best", "article", {"repeat": "daily", "value": 9}),
        ("plain", "article", {"repeat": "daily", "value": 4}),
    )
    ws = culture(tmp_path, items, per_day=1)
    plan = solve(ws)
    fit = ws.rules.stages.stages["culture"].kinds["article"]
    variety = ws.rules.stages.objective.variety_bonus
    assert objective_of(ws, plan) == 7 * (9 * BASE_WEIGHT * fit + variety)
    cheaper = swapped(ws, plan, day_posts(plan, "g", 3)[0], "plain")
    change = (4 - 9) * BASE_WEIGHT * fit
    assert term_score(ws, cheaper, "value") - term_score(ws, plan, "value") == change
    assert objective_of(ws, cheaper) - objective_of(ws, plan) == change


@pair("variety")
def test_variety_term(tmp_path: Path) -> None:
    kinds = ("article", "article", "poll")
    items = items_of(*[(f"i{n}", k, {"repeat": "daily", "value": 6}) for n, k in enumerate(kinds)])
    ws = culture(tmp_path, items, per_day=2)
    fits = ws.rules.stages.stages["culture"].kinds
    assert fits["article"] == fits["poll"]  # a swap between them keeps each post's value
    plan = solve(ws)
    todays = day_posts(plan, "g", 4)
    assert sorted(p.kind for p in todays) == ["article", "poll"]
    poll = next(p for p in todays if p.kind == "poll")
    spare = next(i for i in ("i0", "i1") if i not in {p.item for p in todays})
    same_kind = swapped(ws, plan, poll, spare)
    bonus = ws.rules.stages.objective.variety_bonus
    assert term_score(ws, same_kind, "variety") - term_score(ws, plan, "variety") == -bonus
    assert objective_of(ws, same_kind) - objective_of(ws, plan) == -bonus


@pair("mix")
def test_mix_term(tmp_path: Path) -> None:
    kinds = {"ugc": "ugc_prompt", "art": "article", "pol": "poll"}
    items = items_of(*[(i, kind, {"repeat": "daily"}) for i, kind in kinds.items()])
    # each post worth the same, so only the mix tells them apart
    ws = culture(tmp_path, items, per_day=2, fits=dict.fromkeys(kinds.values(), 1))
    assert mix_target(ws.rules.stages.stages["culture"].mix["ugc_prompt"], 2) == 1
    plan = solve(ws)
    todays = day_posts(plan, "g", 5)
    [ugc] = [p for p in todays if p.kind == "ugc_prompt"]
    other = next(i for i in ("art", "pol") if i not in {p.item for p in todays})
    short = swapped(ws, plan, ugc, other)
    penalty = ws.rules.stages.objective.mix_penalty
    assert term_score(ws, short, "mix") - term_score(ws, plan, "mix") == -penalty
    assert term_score(ws, short, "variety") == term_score(ws, plan, "variety")
    assert objective_of(ws, short) - objective_of(ws, plan) == -penalty


@pair("stability")
def test_stability_term(tmp_path: Path) -> None:
    """A re-plan keeps every post where the last plan had it, even a moved one among slots
    of equal value; a post elsewhere is one stability_bonus less, outside objective_of."""
    items = items_of(("best", "article", {"repeat": "daily", "value": 9}))
    ws = culture(tmp_path, items, per_day=1)
    plan = solve(ws)
    monday = day_posts(plan, "g", 0)[0]
    elsewhere = at(0, "15:00" if monday.start.hour != 15 else "16:00")
    last = moved(plan, monday, elsewhere)
    assert rules_broken(ws, last) == set() and objective_of(ws, last) == objective_of(ws, plan)
    history = History(previous=LastRun(posts=last.posts))
    bonus = ws.rules.stages.objective.stability_bonus
    assert term_score(ws, last, "stability", history) == bonus * len(last.posts)
    assert term_score(ws, plan, "stability", history) == bonus * (len(plan.posts) - 1)
    assert objective_of(ws, plan, history) == objective_of(ws, plan)  # a second pass only

    problem = build_problem(ws, "op", list(ws.groups), WEEK, playbook(ws, WEEK), last.posts)
    result = solve_problem(problem, ws.rules.stages.objective.model_dump(), time_limit=10)
    slot = ws.settings.slot_minutes
    kept = {(p.day, p.slot * slot) for p in result.placements}
    wanted = {
        ((p.start.date() - WEEK).days, p.start.hour * 60 + p.start.minute) for p in last.posts
    }
    assert kept == wanted and result.objective == objective_of(ws, last)
