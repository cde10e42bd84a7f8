"""Reading a planned scenario week from the user's files, not from the planner's models:
what each campaign binds and when, each operator's hours, each group's stage timeline.

The scenario tests compare the plan with these readings, so a planner that misreads a
key cannot agree with itself by accident.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml

from planner.cli import main
from planner.workspace.check import check_workspace
from planner.workspace.load import Workspace

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
MONDAY = date(2026, 11, 30)  # 2026-W49: no public holiday, no adjusted working day
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UNITS = {"m": 1, "h": 60, "d": 1440}


@dataclass
class Week:
    """One scenario planned: its inputs as written and what the planner wrote."""

    name: str
    root: Path
    folder: Path
    ws: Workspace
    settings: dict
    campaigns: list[dict]
    groups: dict[str, dict]
    posts: list[dict]
    report: str

    def by_group_day(self) -> dict[tuple[str, date], list[dict]]:
        days: dict[tuple[str, date], list[dict]] = defaultdict(list)
        for post in sorted(self.posts, key=lambda p: p["start"]):
            days[post["group"], start_of(post).date()].append(post)
        return days

    def targets(self, campaign: dict) -> list[str]:
        """The union of the groups named, tagged or of a type, as the README says."""
        want = campaign["targets"]
        return sorted(
            gid
            for gid, g in self.groups.items()
            if gid in want.get("groups", [])
            or set(g.get("tags", [])) & set(want.get("tags", []))
            or g["type"] in want.get("types", [])
        )


def plan_scenario(name: str, runner, out: Path, extra: tuple[str, ...] = ()) -> Week:
    """Plan the scenario's week through the CLI, as a user would, and read it back."""
    root = SCENARIOS / name if not Path(name).is_absolute() else Path(name)
    args = ["plan", str(root), "--week", str(MONDAY), "--out", str(out)]
    result = runner.invoke(main, [*args, "--time-limit", "5", "--workers", "1", *extra])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    ws, findings = check_workspace(root)
    assert ws is not None, findings
    folder = out / "2026-W49"
    plan = json.loads((folder / "plan.json").read_text("utf-8"))
    return Week(
        name=root.name,
        root=root,
        folder=folder,
        ws=ws,
        settings=_yaml(root / "planner.yaml"),
        campaigns=_yaml(root / "campaigns.yaml").get("campaigns", []),
        groups={g["id"]: g for g in _yaml(root / "groups.yaml")["groups"]},
        posts=plan["posts"],
        report=(folder / "report.md").read_text("utf-8"),
    )


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8")) or {}


def start_of(post: dict) -> datetime:
    return datetime.fromisoformat(post["start"])


def when(value) -> datetime:
    """A campaign's `2026-12-03 20:00` (YAML may already have parsed it) as a naive time."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    return datetime.fromisoformat(str(value))


def day_of(value) -> date:
    return when(value).date()


def minutes(offset: str) -> int:
    """`1d`, `2h`, `60m` in minutes."""
    number, unit = re.fullmatch(r"(\d+)\s*([mhd])", offset.strip()).groups()
    return int(number) * UNITS[unit]


def stage_on(group: dict, day: date) -> str | None:
    stage = None
    for entry in group["stages"]:
        if day_of(entry["from"]) <= day:
            stage = entry["stage"]
    return stage


def _spans(value) -> list[tuple[int, int]]:
    """An hours value (a span, a list of spans, `off`) as minute ranges of the day."""
    if value in ("off", False):
        return []
    spans = []
    for text in [value] if isinstance(value, str) else value:
        a, b = (int(h) * 60 + int(m) for h, m in (part.split(":") for part in text.split("-")))
        spans.append((a, b if b > a else b + 1440))
    return spans


def working_spans(hours: dict | None, day: date) -> list[tuple[int, int]] | None:
    """The operator's spans on `day` (None: any time); W49 has no holiday to weigh."""
    if not hours:
        return None
    key = DAY_KEYS[day.weekday()]
    general = "weekend" if day.weekday() >= 5 else "weekday"
    value = hours.get(key, hours.get(general))
    return None if value is None else _spans(value)


def unplaced_rows(report: str) -> list[dict[str, str]]:
    """The report's "Requested but not placed" table, one dict a row."""
    section = report.split("## Requested but not placed", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    if not rows:
        return []
    head, body = [c.strip() for c in rows[0]], rows[2:]
    return [dict(zip(head, (c.strip() for c in row), strict=True)) for row in body]


def due_days(campaign: dict, item: str) -> set[date]:
    """The days a campaign asks for `item`, read from campaigns.yaml alone."""
    [binding] = [b for b in campaign["items"] if b["item"] == item]
    kind = campaign["kind"]
    if kind == "seven_day_retention":
        return {day_of(campaign["acquired_on"]) + timedelta(days=binding["order"])}
    if kind == "short_event" and binding["role"] in ("thanks", "dissolve"):
        end = day_of(campaign["end"])
        after = campaign.get("dissolve_after_days", 3)
        if binding["role"] == "dissolve":
            return {end + timedelta(days=after)}
        return {end + timedelta(days=n) for n in range(1, min(after, 2) + 1)}
    first = day_of(campaign.get("start") or campaign.get("launch_at"))
    last = day_of(campaign.get("end") or campaign.get("deadline") or first)
    if kind in ("live", "launch"):  # reminders and teasers before, a replay the day after
        first, last = first - timedelta(days=3), last + timedelta(days=1)
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}
