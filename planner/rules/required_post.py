"""required_post: each stage's required posts every day, inside their window (not on a
day a lock keeps free, nor on a reactivation's day 1)."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def counts(required, kind: str, minute: int) -> bool:
    """Does a post of `kind` at `minute` count towards `required`?"""
    return kind in required.kinds and (required.window is None or required.window.contains(minute))


def constrain(m) -> None:
    for (g, d), gd in sorted(m.problem.group_days.items()):
        for position, required in enumerate(gd.required):
            ns = [
                n for n in m.by_gd.get((g, d), []) if counts(required, m.item(n).kind, m.minute(n))
            ]
            total = sum(m.z[n] for n in ns)
            m.add(total >= required.count, "required_post", g, d, (position,))


def check(c) -> None:
    for group in sorted(c.groups.values(), key=lambda g: g.id):
        posts = c.by_group.get(group.id, [])
        for day in c.days:
            stage = c.stage(group, day)
            if stage is None or (group.id, day) in c.book.days_off:
                continue
            todays = [p for p in posts if c.local(p).date() == day]
            for required in c.ws.rules.stages.stages[stage].required:
                found = sum(
                    counts(required, c.ws.items[p.item].kind, c.minute(c.local(p))) for p in todays
                )
                if found < required.count:
                    where = f" in {required.window}" if required.window else ""
                    wanted = f"{required.count} {'/'.join(required.kinds)}{where}"
                    message = f"stage {stage} needs {wanted}, found {found}"
                    c.add("required_post", group.id, day, message)


def explain(x, guard) -> str:
    gd = x.group_day(guard)
    required = gd.required[guard.detail[0]]
    source = x.sources.pack("stages", ("stages", str(gd.stage), "required", guard.detail[0]))
    posts = "post" if required.count == 1 else "posts"
    return f"stage {gd.stage} requires {required.count} {posts} ({required}) ({source})"


RULE = Rule(
    name="required_post",
    summary="Each stage's required posts every day, inside their window.",
    settings=("stages.<stage>.required",),
    constrain=constrain,
    check=check,
    explain=explain,
    demand=True,
)
