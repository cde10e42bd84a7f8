"""group_type: an item goes only to the group types it names, never a kind the type forbids."""

from __future__ import annotations

from planner.rules.catalogue import Rule
from planner.rules.eligibility import fits_group_type


def admits(f, item) -> bool:
    return fits_group_type(item, f.group, f.rules)


def check(c) -> None:
    for post, group, item, start in c.each_post():
        if item.group_types and group.type not in item.group_types:
            c.add("group_type", post, start, f"item {item.id} does not fit a {group.type} group")
        elif item.kind in c.ws.rules.group_types.group_types[group.type].forbidden_kinds:
            c.add("group_type", post, start, f"a {group.type} group gets no {item.kind} posts")


def refuses(x, item, gd) -> str:
    group = x.group_of(gd)
    if item.group_types and group.type not in item.group_types:
        types = ", ".join(item.group_types)
        return f"{item.id} is for {types} groups ({x.sources.item(item.id, 'group_types')})"
    source = x.sources.pack("group_types", ("group_types", str(group.type), "forbidden_kinds"))
    return f"a {group.type} group gets no {item.kind} posts ({source})"


def explain(x, guard) -> str:
    group = x.problem.groups[guard.group]
    source = x.sources.pack("group_types", ("group_types", str(group.type)))
    return f"a {group.type} group's kinds and items are limited ({source})"


RULE = Rule(
    name="group_type",
    summary="An item goes only to the group types it names, never a kind the type forbids.",
    settings=("item group_types", "group_types.<type>.forbidden_kinds"),
    admits=admits,
    refuses=refuses,
    level="item",
    check=check,
    explain=explain,
)
