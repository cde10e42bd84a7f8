"""well_formed: every post names a known group and item, falls in the week, sits on the slot
grid and has text. The problem builder makes candidates only so (loaded groups and items,
the week's seven days, slots of slot_minutes) and the text is rendered from the item, so
the model needs no constraint; the check guards plans that did not come from it."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def check(c) -> None:
    for post in c.plan.posts:
        if post.group not in c.all_groups:
            c.add("well_formed", post.group, post.start, "group not in groups.yaml")
        elif post.item not in c.ws.items:
            c.add("well_formed", post, post.start, f"item '{post.item}' not in the library")
    slot = c.ws.settings.slot_minutes
    for post, _, item, start in c.each_post(every_day=True):
        if start.date() not in c.days:
            c.add("well_formed", post, start, f"{start.date()} is not in week {c.plan.week}")
        if (start.hour * 60 + start.minute) % slot or start.second:
            c.add("well_formed", post, start, f"{start:%H:%M} is not on the {slot}-minute grid")
        if not post.text.strip():
            c.add("well_formed", post, start, f"item {item.id} rendered to an empty post")


def explain(x, guard) -> str:
    source = x.sources.setting("slot_minutes")
    return f"posts sit on the {x.problem.slot_minutes}-minute grid ({source})"


RULE = Rule(
    name="well_formed",
    summary="Every post names a known group and item, falls in the week on the slot grid, "
    "and has text.",
    settings=("groups.yaml", "content_library/", "slot_minutes"),
    check=check,
    explain=explain,
    by_construction=True,
)
