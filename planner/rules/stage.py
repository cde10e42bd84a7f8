"""stage: an item goes out only in a stage that lists its kind and that the item allows.

An item a campaign binds to the group goes out in the campaign's windows whatever
the stage (the operator asked for it by name); a group before its timeline starts,
or dissolved, gets nothing.
"""

from __future__ import annotations

from planner.rules.catalogue import Rule
from planner.rules.eligibility import item_stages


def admits(f, item, gd) -> bool:
    if gd.stage is None:
        return False
    if item.id in f.bound:
        return True
    return gd.stage in f.stages_of(item) and item.kind in gd.fits


def check(c) -> None:
    for post, group, item, start in c.each_post():
        stage = c.stage(group, start.date())
        if stage is None:
            c.add("stage", post, start, "the group has no stage on this day yet")
        elif stage not in item_stages(item, c.ws.rules) and not c.bound(post):
            c.add("stage", post, start, f"item {item.id} ({item.kind}) is not for stage {stage}")
        elif post.stage != stage:
            c.add("stage", post, start, f"post says stage {post.stage}, the timeline says {stage}")


def explain(x, guard) -> str:
    gd = x.group_day(guard)
    source = x.sources.pack("stages", ("stages", str(gd.stage), "kinds"))
    return f"stage {gd.stage} allows {', '.join(sorted(gd.fits))} ({source})"


def refuses(x, item, gd) -> str:
    """Why the stage keeps `item` out of this group-day, with the setting's source."""
    if gd.stage is None:
        return "the group has no stage that day (not started, or dissolved)"
    if item.stages and gd.stage not in item.stages:
        stages = ", ".join(item.stages)
        return f"{item.id} is for stages {stages} ({x.sources.item(item.id, 'stages')})"
    source = x.sources.pack("stages", ("stages", str(gd.stage), "kinds"))
    return f"stage {gd.stage} does not allow {item.kind} ({source})"


RULE = Rule(
    name="stage",
    summary="An item goes out only in a stage that allows its kind and that the item lists.",
    settings=("stages.<stage>.kinds", "item stages"),
    admits=admits,
    refuses=refuses,
    level="day",
    check=check,
    explain=explain,
)
