"""status: a draft item is never scheduled; `status: ready` (the default) lets it out.

A filter rather than leaving drafts out of the library: a campaign or lock that names a
draft still finds it (check reports the binding), the report says why it is not placed,
and the checker can verify that no draft went out.
"""

from __future__ import annotations

from planner.rules.catalogue import Rule


def admits(f, item) -> bool:
    return item.status != "draft"


def check(c) -> None:
    for post, _, item, start in c.each_post():
        if item.status == "draft":
            c.add("status", post, start, f"item {item.id} is a draft")


def refuses(x, item, gd) -> str:
    source = x.sources.item(item.id, "status")
    return f"{item.id} is a draft, not scheduled until status: ready ({source})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="status",
    summary="A draft item (status: draft) is never scheduled.",
    settings=("item status",),
    admits=admits,
    refuses=refuses,
    level="item",
    check=check,
    explain=explain,
)
