"""Tiny hand-made workspaces for scheduler tests: only the items a test names."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from planner.workspace.check import check_workspace
from planner.workspace.load import Workspace

WEEK = date(2026, 11, 23)  # a Monday
LAUNCH, DEADLINE = "2026-11-26 20:00", "2026-11-28 22:00"  # a launch campaign's, that week
RENAME_THEME = {"rename": "rename", "theme": "theme"}  # a reactivation's first day: item -> role


def item(item_id: str, kind: str, body: str = "正文 {{ group.name }}", **fields) -> dict:
    return {"id": item_id, "kind": kind, "title": item_id, "body": body, **fields}


KIND_FIELDS = {
    "checkin": {"points": 5},
    "quiz": {"question": "?", "options": ["a", "b"], "answer": "a"},
    "poll": {"question": "?", "options": ["a", "b"]},
    "deal": {"price": 9.9, "original_price": 19.9, "stock": 5, "deadline": "22:00"},
    "red_packet": {"amount": 200},
    "live": {"duration_minutes": 60},
    "lottery": {"prize": "茶具"},
}


def items_of(*specs: tuple[str, str, dict]) -> list[dict]:
    """(id, kind, extra fields) triples to item dicts with their kind's required fields."""
    return [item(i, k, **{**KIND_FIELDS.get(k, {}), **extra}) for i, k, extra in specs]


def group(group_id: str, stage: str = "retention", gtype: str = "long_term", **extra) -> dict:
    return {
        "id": group_id,
        "name": f"{group_id}群",
        "type": gtype,
        "operator": extra.pop("operator", "op"),
        "stages": extra.pop("stages", [{"from": "2026-11-01", "stage": stage}]),
        **extra,
    }


def build(
    root: Path,
    groups: list[dict],
    items: list[dict],
    rules: dict[str, dict] | None = None,
    settings: dict | None = None,
    variety: bool = False,
) -> Workspace:
    """Write a workspace with only these items (no built-in library) and load it.

    Without `variety` the built-in variety defaults (an item on at most two days a week,
    one check-in a day) are off, so a test of another rule sees that rule alone."""
    if not variety:
        rules = _merged({"caps": VARIETY_OFF}, rules or {})
    root.mkdir(parents=True, exist_ok=True)
    config = {
        "name": "tiny",
        "timezone": "Asia/Shanghai",
        "slot_minutes": 30,
        "use_builtin_library": False,
        **(settings or {}),
    }
    (root / "planner.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    (root / "groups.yaml").write_text(
        yaml.safe_dump({"groups": groups}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    for spec in items:
        spec = dict(spec)
        body = spec.pop("body")
        path = root / "content_library" / spec["kind"] / f"{spec['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n{body}\n", "utf-8")
    for name, data in (rules or {}).items():
        (root / "rules").mkdir(exist_ok=True)
        (root / "rules" / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), "utf-8"
        )
    ws, problems = check_workspace(root)
    assert not problems.errors, "\n".join(map(str, problems.errors))
    assert ws is not None
    return ws


# The variety defaults of the built-in caps pack, lifted (their own tests turn them on).
VARIETY_OFF = {"defaults": {"item_days_per_week": 7, "kinds": {"checkin": {"per_day": 24}}}}


def _merged(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both else value
    return out


def campaign(campaign_id: str, kind: str, roles: dict[str, str], **fields) -> dict:
    """A campaign of group g, binding each item to its role ({item: role})."""
    return {
        "id": campaign_id,
        "kind": kind,
        "name": campaign_id,
        "targets": {"groups": ["g"]},
        **fields,
        "items": [{"item": item, "role": role} for item, role in roles.items()],
    }


def with_files(
    root: Path, groups: list[dict], items: list[dict], rules=None, settings=None, **files
) -> Workspace:
    """`build`, plus workspace files given by name: `campaigns=[...]`, `locks=[...]`."""
    build(root, groups, items, rules, settings)
    for name, entries in files.items():
        text = yaml.safe_dump({name: entries}, allow_unicode=True, sort_keys=False)
        (root / f"{name}.yaml").write_text(text, "utf-8")
    ws, problems = check_workspace(root)
    assert not problems.errors, "\n".join(map(str, problems.errors))
    assert ws is not None
    return ws


def three_zones(root: Path, articles: int = 1) -> Path:
    """Groups in Shanghai, New York and London, one operator each, in retention since
    October: New York leaves summer time on Sunday 2026-11-01 (plan week 2026-10-26)."""
    since = [{"from": "2026-10-01", "stage": "retention"}]
    items = items_of(
        ("ck", "checkin", {"repeat": "daily", "window": "08:00-09:00"}),
        *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(articles)],
    )
    build(
        root,
        [
            group("sh", stages=since),
            group("ny", stages=since, timezone="America/New_York", operator="op2"),
            group("ldn", stages=since, timezone="Europe/London", operator="op3"),
        ],
        items,
    )
    return root


def plan_with_cli(runner, ws: Path, week: str) -> dict:
    """`planner plan WS --week WEEK`, which must succeed; its plan.json."""
    from planner.cli import main

    result = runner.invoke(main, ["plan", str(ws), "--week", week])
    assert result.exit_code == 0, result.output
    year, number, _ = date.fromisoformat(week).isocalendar()
    return json.loads((ws / "outputs" / f"{year}-W{number:02d}" / "plan.json").read_text("utf-8"))


def post_day(post: dict) -> date:
    """The local date a plan.json post goes out."""
    return date.fromisoformat(post["start"][:10])
