"""Say in the user's words why a week cannot be planned: which rules, from which file and line."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.rules.eligibility import fits_group_type, item_stages
from planner.solver.model import Guard, required_match
from planner.solver.problem import Problem
from planner.workspace.load import GROUPS_FILE, Workspace
from planner.workspace.resources import builtin_root
from planner.workspace.templates import WEEKDAYS

# Which caps key each guarded rule comes from.
_CAP_KEYS = {"per_day_cap": "per_day", "per_hour_cap": "per_hour", "min_gap": "min_gap_minutes"}


def _display(file, line: int) -> str:
    """Built-in rule files by their repository name, the user's own by their path."""
    path = Path(file)
    try:
        return f"built-in {path.relative_to(builtin_root())}:{line}"
    except ValueError:
        return f"{path}:{line}"


def rule_source(ws: Workspace, group_id: str | None, stage: str | None, path: tuple) -> str:
    """`file:line` of the most specific layer that set a caps rule, as resolve_caps applies them."""
    if group_id is not None:
        doc = ws.docs.get(GROUPS_FILE)
        if doc is not None:
            for index, entry in enumerate(doc.data.get("groups") or []):
                if isinstance(entry, dict) and entry.get("id") == group_id:
                    caps = entry.get("caps") or {}
                    if _has(caps, path):
                        return _display(doc.path, doc.line(("groups", index, "caps", *path)))
    caps_doc = ws.rule_docs.get("caps")
    if caps_doc is None:
        return "rules/caps.yaml"
    group = ws.group(group_id) if group_id else None
    layers = []
    if stage:
        layers.append(("stages", stage))
    if group is not None:
        layers.append(("group_types", str(group.type)))
    layers.append(("defaults",))
    for layer in layers:
        if _has(caps_doc.data, (*layer, *path)):
            return _display(*caps_doc.where((*layer, *path)))
    return _display(*caps_doc.where(("defaults",)))


def stage_source(ws: Workspace, stage: str, position: int) -> str:
    doc = ws.rule_docs.get("stages")
    if doc is None:
        return "rules/stages.yaml"
    return _display(*doc.where(("stages", stage, "required", position)))


def _has(data, path: tuple) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def describe_conflict(ws: Workspace, problem: Problem, guards: list[Guard]) -> list[str]:
    """One sentence per group-day (or operator) in conflict."""
    by_place: dict[tuple, list[Guard]] = defaultdict(list)
    for guard in guards:
        by_place[(guard.group, guard.day)].append(guard)
    sentences = []
    for (g, d), found in sorted(by_place.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1)):
        if g < 0:
            cap = problem.operator
            sentences.append(
                f"operator {problem.id}: at most {cap.max_posts} posts in any "
                f"{cap.window_minutes} minutes across their groups (rules/caps.yaml operator)"
            )
            continue
        group = problem.groups[g]
        where = f"group {group.id}"
        if d is not None:
            day = problem.week_start + timedelta(days=d)
            where += f", {WEEKDAYS['en'][day.weekday()]} {day.isoformat()}"
        gd = problem.group_days[(g, d if d is not None else 0)]
        needs = [x for x in found if x.rule == "required_post"]
        asks = [x for x in found if x.rule == "campaign_need"]
        limits = [x for x in found if x.rule not in ("required_post", "campaign_need")]
        parts = [_campaign_text(problem, x) for x in asks]
        if needs:
            wanted = [gd.required[x.detail[0]] for x in needs]
            total = sum(r.count for r in wanted)
            listing = ", ".join(str(r) for r in wanted)
            sources = ", ".join(
                sorted({stage_source(ws, str(gd.stage), x.detail[0]) for x in needs})
            )
            parts.append(
                f"stage {gd.stage} requires {total} post{'s' if total != 1 else ''} "
                f"({listing}) ({sources})"
            )
        for guard in limits:
            parts.append(_limit_text(ws, problem, group.id, gd, guard))
        if needs and not limits:
            wanted = [gd.required[x.detail[0]] for x in needs]
            parts.extend(_why_unplaceable(ws, problem, g, gd, wanted))
        if asks and not needs and not limits:
            parts.extend(_why_campaign_unplaceable(problem, g, asks))
        sentence = f"{where}: {parts[0]}"
        if len(parts) > 1:
            sentence += " but " + "; ".join(parts[1:])
        sentences.append(sentence)
    return sentences


def _why_unplaceable(ws: Workspace, problem: Problem, g: int, gd, wanted) -> list[str]:
    """Why no item can meet a required post: none in the library, none in the window, used up."""
    group = problem.groups[g]
    reasons = []
    for required in wanted:
        kinds = "/".join(required.kinds)
        suitable = [
            item
            for item in ws.items.values()
            if item.kind in required.kinds
            and fits_group_type(item, group, ws.rules)
            and gd.stage in item_stages(item, ws.rules)
        ]
        placeable = [
            c
            for c in problem.candidates
            if c.group == g and c.day == gd.day and required_match(problem, c, required)
        ]
        if not suitable:
            reasons.append(
                f"no {kinds} item in the library suits a {group.type} group in stage {gd.stage} "
                "(add one, or widen an item's stages / group_types)"
            )
        elif not placeable:
            quiet = f", quiet hours {gd.caps.quiet_hours}" if gd.caps.quiet_hours else ""
            reasons.append(
                f"no {kinds} item may be posted in {required.window or 'the day'} "
                f"(items' windows{quiet})"
            )
        else:
            reasons.append(
                f"the {len({c.item for c in placeable})} {kinds} item(s) that fit are used up "
                "this week (repeat: once/weekly or cooldown_days; add more or make one daily)"
            )
    return reasons


def _campaign_text(problem: Problem, guard: Guard) -> str:
    need = problem.book.needs[guard.detail[0]]
    if need.rule == "lock":
        return f"your lock pins {need.label}"
    return f"campaign {need.campaign} needs {need.label} ({', '.join(need.items)})"


def _why_campaign_unplaceable(problem: Problem, g: int, asks: list[Guard]) -> list[str]:
    """A campaign post that cannot go out at all: say what closes its window."""
    reasons = []
    for guard in asks:
        need = problem.book.needs[guard.detail[0]]
        local = need.start.astimezone(ZoneInfo(problem.zones[g]))
        day = (local.date() - problem.week_start).days
        gd = problem.group_days.get((g, max(0, min(6, day))))
        closed = []
        quiet = gd.caps.quiet_hours if gd is not None else None
        if quiet is not None and quiet.contains(local.hour * 60 + local.minute):
            closed.append(f"{local:%H:%M} is in quiet hours {quiet}")
        if local.date() < problem.week_start:
            closed.append("its window lies before this week")
        if gd is not None and gd.stage is None:
            closed.append("the group has no stage then (not started or dissolved)")
        reasons.append(
            "no post can go out in that window"
            + (f": {'; '.join(closed)}" if closed else " (item windows, bans or caps)")
        )
    return reasons


def _limit_text(ws: Workspace, problem: Problem, group_id: str, gd, guard: Guard) -> str:
    caps = gd.caps
    stage = str(gd.stage) if gd.stage else None
    if guard.rule in _CAP_KEYS:
        key = _CAP_KEYS[guard.rule]
        source = rule_source(ws, group_id, stage, (key,))
        return f"caps.{key} is {getattr(caps, key)} ({source})"
    if guard.rule in ("kind_per_day", "kind_per_week"):
        kind = guard.detail[0]
        period = "per_day" if guard.rule == "kind_per_day" else "per_week"
        limit = getattr(caps.kinds[kind], period)
        source = rule_source(ws, group_id, stage, ("kinds", kind, period))
        return f"caps.kinds.{kind}.{period} is {limit} ({source})"
    if guard.rule == "promo_share":
        source = rule_source(ws, group_id, stage, ("promo_share_max",))
        return f"caps.promo_share_max is {caps.promo_share_max} ({source})"
    return guard.rule
