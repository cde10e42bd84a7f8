"""What the writers show of a unit's week besides its posts, worked out where the unit is
planned: each group-day's stage, per_day cap and attention peaks (as the solver's problem
resolves them), and each item a campaign requests that the plan left out, with why.

So the writers read a finished week and nothing upstream (no playbook, no rule packs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from planner.campaigns.playbook import Playbook
from planner.models.common import Stage
from planner.models.groups import Group
from planner.plan import GroupDayFacts, Post, Unplaced
from planner.rules.eligibility import campaign_targets, fits_group_type, item_stages
from planner.solver.problem import group_days
from planner.workspace.load import Workspace


def week_facts(
    ws: Workspace, start: date, book: Playbook, members: Iterable[Group], posts: Iterable[Post]
) -> tuple[list[GroupDayFacts], list[Unplaced]]:
    """The group-days of `members` for the week starting `start`, and what `posts` (their
    plan) leaves out of what the campaigns request."""
    members = sorted(members, key=lambda g: g.id)
    days = days_shown(ws, start, book, members)
    return days, unplaced(ws, members, days, posts)


def days_shown(
    ws: Workspace, start: date, book: Playbook, members: list[Group]
) -> list[GroupDayFacts]:
    """Each group-day's stage, per_day cap and peak windows, as the problem holds them."""
    return [
        GroupDayFacts(
            group=group.id,
            date=day.date,
            stage=day.stage,
            per_day=day.caps.per_day if day.stage else 0,
            peaks=[peak.window for peak in day.peaks],
        )
        for index, group in enumerate(members)
        for day in group_days(ws, group, index, start, book)
    ]


def unplaced(
    ws: Workspace, members: list[Group], days: list[GroupDayFacts], posts: Iterable[Post]
) -> list[Unplaced]:
    """The campaigns' requested posts (follow-ups aside: tasks of the run sheet) that are
    not in the plan, campaign by campaign, each with the first reason it is not."""
    placed = {(post.group, post.item) for post in posts}
    stages: dict[str, dict[date, Stage | None]] = defaultdict(dict)
    for day in days:
        stages[day.group][day.date] = day.stage
    out = []
    for campaign in ws.campaigns:
        for group in campaign_targets(members, campaign):
            for binding in campaign.items:
                if binding.role == "follow_up" or (group.id, binding.item) in placed:
                    continue
                reason = why_not_placed(ws, group, binding.item, stages[group.id])
                out.append(
                    Unplaced(
                        campaign=campaign.id,
                        group=group.id,
                        item=binding.item,
                        role=binding.role,
                        reason=reason,
                    )
                )
    return out


def why_not_placed(
    ws: Workspace, group: Group, item_id: str, stages: dict[date, Stage | None]
) -> str:
    """The first reason, in order, that an item requested for a group is not in the plan;
    `stages`: the group's stage on each day of the week."""
    item = ws.items.get(item_id)
    if item is None:
        return "not in the content library"
    if not fits_group_type(item, group, ws.rules):
        return f"does not suit a {group.type} group (item group_types / forbidden kinds)"
    allowed = item_stages(item, ws.rules)
    open_days = [day for day, stage in stages.items() if stage in allowed]
    if not open_days:
        seen = sorted({str(stage) for stage in stages.values() if stage})
        return f"its kind or stages do not fit the group's stages this week ({', '.join(seen)})"
    valid = [
        day
        for day in open_days
        if not (item.valid_from and day < item.valid_from)
        and not (item.valid_until and day > item.valid_until)
    ]
    if not valid:
        return "not valid on any day the group's stage allows it"
    return "not chosen: the caps left room only for posts worth more this week"
