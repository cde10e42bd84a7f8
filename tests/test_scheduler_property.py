"""Hypothesis: on random valid workspaces every plan verifies and its objective recomputes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import KIND_FIELDS, WEEK, build, group

from planner.run.week import InfeasibleWeek, plan_week
from planner.verify.checker import verify
from planner.verify.objective import objective_of

STAGES = [
    "launch",
    "onboarding",
    "activation",
    "retention",
    "conversion",
    "culture",
    "reactivation",
]
TYPES = ["long_term", "feedback", "short_event", "fan", "group_buy", "training_camp"]
KINDS = [
    "checkin",
    "quiz",
    "poll",
    "article",
    "news",
    "deal",
    "welcome",
    "intro",
    "ugc_prompt",
    "red_packet",
    "lottery",
    "kol_spotlight",
    "rules",
    "self_intro",
    "survey",
    "reminder",
]
WINDOWS = [None, None, "07:00-09:00", "11:30-13:30", "19:30-22:00", "09:00-18:00"]


@st.composite
def items(draw):
    out = []
    for n in range(draw(st.integers(2, 9))):
        kind = draw(st.sampled_from(KINDS))
        spec = {
            "id": f"i{n}",
            "kind": kind,
            "title": f"i{n}",
            "body": "{{ group.name }} {{ item.title }}",
            **KIND_FIELDS.get(kind, {}),
            "value": draw(st.integers(1, 10)),
            "repeat": draw(st.sampled_from(["once", "daily", "weekly"])),
            "cooldown_days": draw(st.integers(0, 3)),
        }
        window = draw(st.sampled_from(WINDOWS))
        if window:
            spec["window"] = window
        out.append(spec)
    return out


@st.composite
def groups(draw):
    out = []
    for n in range(draw(st.integers(1, 3))):
        first = draw(st.sampled_from(STAGES))
        stages = [{"from": "2026-11-01", "stage": first}]
        if draw(st.booleans()):
            switch = draw(st.integers(24, 29))
            stages.append({"from": f"2026-11-{switch}", "stage": draw(st.sampled_from(STAGES))})
        caps = {
            "per_day": draw(st.integers(1, 6)),
            "per_hour": draw(st.integers(1, 3)),
            "min_gap_minutes": draw(st.sampled_from([0, 30, 60, 90])),
            "promo_share_max": draw(st.sampled_from([0.3, 0.5, 1.0])),
        }
        gtype = draw(st.sampled_from(TYPES))
        extra = {"event_end": "2026-11-25"} if gtype == "short_event" else {}
        operator = draw(st.sampled_from(["op", "op", "other"]))
        out.append(
            group(f"g{n}", gtype=gtype, stages=stages, caps=caps, operator=operator, **extra)
        )
    return out


# No required posts: none of the stages' daily ones, nor day one's openers (first_day).
NO_REQUIRED = {"stages": {"stages": {s: {"required": [], "first_day_order": []} for s in STAGES}}}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    groups(),
    items(),
    st.booleans(),
    st.sampled_from([30, 60]),
    st.integers(1, 3),
    st.sampled_from([30, 60, 120]),
)
def test_every_plan_verifies(groups, items, keep_required, slot, max_posts, window) -> None:
    """Also with a tight operator capacity, which couples the operator's groups."""
    with tempfile.TemporaryDirectory() as tmp:
        rules = None if keep_required else NO_REQUIRED
        capacity = {"op": {"max_posts": max_posts, "window_minutes": window}, "other": {}}
        settings = {"slot_minutes": slot, "operators": capacity}
        ws = build(Path(tmp) / "ws", groups, items, rules, settings)
        try:
            plan = plan_week(ws, WEEK, time_limit=5, workers=1)
        except InfeasibleWeek as exc:
            assert exc.reasons and all(reason.strip() for reason in exc.reasons)
            assert keep_required  # without required posts every week is feasible
            return
        assert verify(ws, plan) == []
        assert objective_of(ws, plan) == sum(p.objective for p in plan.problems)
        left_out = {entry.group for entry in plan.left_out}
        assert not left_out or keep_required  # only required posts make a group impossible
        planned = [p for p in plan.problems if not set(p.groups) <= left_out]
        assert all(p.status in ("optimal", "feasible") for p in planned)
        assert all(p.best_bound >= p.objective for p in plan.problems)
