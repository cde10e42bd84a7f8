"""openers_once: in a stage with `openers_once` (built in for onboarding), the kinds of its
first_day_order (welcome, rules, intro) go once: one post of each on the group's first day
in the stage, none on its other days. A new group read a welcome on two days running and
three rule sets in three days; to an operator a different welcome each day is a repeat too.
"""

from __future__ import annotations

from collections import Counter

from planner.campaigns.timeline import stage_on
from planner.rules.catalogue import Rule
from planner.rules.first_day import opening_kinds


def once_kinds(stage_rule) -> tuple[str, ...]:
    """The kinds a stage lets go once (its first_day_order when it sets openers_once)."""
    if stage_rule is None or not stage_rule.openers_once:
        return ()
    return tuple(stage_rule.first_day_order)


def limit(gd, kind: str) -> int:
    """Posts of `kind` a group-day may have under this rule: 1 on the opening day, else 0."""
    return 1 if kind in gd.first_day_order else 0


def constrain(m) -> None:
    for (g, d), gd in sorted(m.problem.group_days.items()):
        for kind in gd.openers_once:
            posts = [n for n in m.by_gd.get((g, d), []) if m.item(n).kind == kind]
            if len(posts) > limit(gd, kind):
                m.add(sum(m.z[n] for n in posts) <= limit(gd, kind), "openers_once", g, d, (kind,))


def check(c) -> None:
    stages = c.ws.rules.stages.stages
    for group in sorted(c.groups.values(), key=lambda g: g.id):
        for day in c.days:
            stage = stage_on(group, day, c.book)
            kinds = once_kinds(stages[stage] if stage else None)
            if not kinds:
                continue
            opening = (
                ()
                if (group.id, day) in c.book.days_off
                else opening_kinds(stages, group, day, c.book)
            )
            todays = [p for p in c.by_group.get(group.id, []) if c.local(p).date() == day]
            counts = Counter(c.ws.items[p.item].kind for p in todays)
            for kind in kinds:
                allowed = 1 if kind in opening else 0
                if counts[kind] > allowed:
                    where = "on the group's first day" if allowed else "after the first day"
                    message = f"{counts[kind]} {kind} posts {where}; {kind} goes once, on day one"
                    c.add("openers_once", group.id, day, message)


def explain(x, guard) -> str:
    gd = x.group_day(guard)
    kind = guard.detail[0]
    source = x.sources.pack("stages", ("stages", str(gd.stage), "openers_once"))
    when = "once on" if limit(gd, kind) else "only on"
    return f"stage {gd.stage}: {kind} goes {when} a group's first day ({source})"


RULE = Rule(
    name="openers_once",
    summary="In a stage with openers_once, each first_day_order kind (welcome, rules, intro) "
    "goes once: on the group's first day, one post of each.",
    settings=("stages.<stage>.openers_once", "stages.<stage>.first_day_order"),
    constrain=constrain,
    check=check,
    explain=explain,
)
