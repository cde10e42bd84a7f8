"""topics: an item with topics goes only to groups that share one of them; an item without
topics is generic and fits every group. A group's topics are its own `topics`, else
planner.yaml's. A campaign that binds an item to a group sends it there whatever its topics.
"""

from __future__ import annotations

from planner.rules.catalogue import Rule
from planner.rules.eligibility import fits_topics, group_topics


def admits(f, item) -> bool:
    return item.id in f.bound or fits_topics(item, f.topics)


def check(c) -> None:
    for post, group, item, start in c.each_post():
        topics = group_topics(group, c.ws.settings.topics)
        if not fits_topics(item, topics) and not c.bound(post):
            c.add(
                "topics",
                post,
                start,
                f"item {item.id} is about {', '.join(item.topics)}, "
                f"group {group.id} about {', '.join(sorted(topics)) or 'no topic'}",
            )


def group_side(x, group) -> str:
    """What the group's topics are and where they were set."""
    if group.topics is not None:
        listed = ", ".join(group.topics) or "no topic"
        return f"group {group.id} is about {listed} ({x.sources.group(group.id, 'topics')})"
    if x.ws.settings.topics:
        listed = ", ".join(x.ws.settings.topics)
        return f"group {group.id} is about {listed} ({x.sources.setting('topics')})"
    return f"group {group.id} sets no topics (groups.yaml or planner.yaml `topics`)"


def refuses(x, item, gd) -> str:
    about = f"{item.id} is about {', '.join(item.topics)}"
    return f"{about} ({x.sources.item(item.id, 'topics')}); {group_side(x, x.group_of(gd))}"


def explain(x, guard) -> str:
    group = x.problem.groups[guard.group]
    return f"{group_side(x, group)}: it takes only generic items and items sharing a topic"


RULE = Rule(
    name="topics",
    summary="An item with topics goes only to groups that share one (unless a campaign "
    "binds it there); an item without topics fits every group.",
    settings=("item topics", "group topics", "planner.yaml topics"),
    admits=admits,
    refuses=refuses,
    level="item",
    check=check,
    explain=explain,
)
