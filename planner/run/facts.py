"""What the writers show of a unit's week besides its posts, worked out where the unit is
planned: each group-day's stage, per_day cap and attention peaks (as the solver's problem
resolves them), and each item a campaign requests that the plan left out, with why.

So the writers read a finished week and nothing upstream (no playbook, no rule packs).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from planner.campaigns.playbook import Playbook
from planner.learn.facts import with_attention
from planner.models.groups import Group
from planner.plan import GroupDayFacts, Post, Unplaced
from planner.rules.eligibility import campaign_targets
from planner.rules.required_post import waived_reason, waived_warnings
from planner.solver.explain import Conflict, day_refusal, filtering
from planner.solver.problem import GroupDay, group_days
from planner.workspace.load import Workspace


def week_facts(
    ws: Workspace, start: date, book: Playbook, members: Iterable[Group], posts: Iterable[Post]
) -> tuple[list[GroupDayFacts], list[Unplaced]]:
    """The group-days of `members` for the week starting `start`, and what `posts` (their
    plan) leaves out of what the campaigns request."""
    members = sorted(members, key=lambda g: g.id)
    # each group's days once, for the writers' facts and the reasons alike
    days = {g.id: group_days(ws, g, index, start, book) for index, g in enumerate(members)}
    shown = with_attention(ws, days_shown(ws, members, days))
    return shown, unplaced(ws, book, members, days, posts)


def hours_waivers(days: Iterable[GroupDayFacts]) -> list[str]:
    """The warnings for the week's required posts no one could post in the operator's hours."""
    return waived_warnings((day.group, day.date, reason) for day in days for reason in day.waived)


def days_shown(
    ws: Workspace, members: list[Group], days: dict[str, list[GroupDay]]
) -> list[GroupDayFacts]:
    """Each group-day's stage, per_day cap, peak windows and waived required posts, as the
    problem holds them."""
    return [
        GroupDayFacts(
            group=group.id,
            date=day.date,
            stage=day.stage,
            per_day=day.caps.per_day if day.stage else 0,
            peaks=[peak.window for peak in day.peaks],
            quiet=day.caps.quiet_hours if day.stage else None,
            waived=[waived_reason(ws, group, day.date, day.stage, n) for n in day.waived],
        )
        for group in members
        for day in days[group.id]
    ]


def unplaced(
    ws: Workspace,
    book: Playbook,
    members: list[Group],
    days_of: dict[str, list[GroupDay]],
    posts: Iterable[Post],
) -> list[Unplaced]:
    """The campaigns' requested posts due this week (a window of the campaign falls in it;
    follow-ups aside: tasks of the run sheet) that are not in the plan, campaign by
    campaign, each with the first reason it is not."""
    placed = {(post.group, post.item) for post in posts}
    x = Conflict(ws, members, book)
    out = []
    for campaign in ws.campaigns:
        for group in campaign_targets(members, campaign):
            days = days_of[group.id]
            for binding in campaign.items:
                key = (group.id, binding.item)
                due = _due_on(book.windows.get(key, []), days)
                if binding.role == "follow_up" or key in placed:
                    continue
                if not due and binding.item in ws.items:
                    continue
                reason = why_not_placed(x, binding.item, due or days)
                cells = {"campaign": campaign.id, "group": group.id, "item": binding.item}
                out.append(Unplaced(**cells, role=binding.role, reason=reason))
    return out


def _due_on(windows: list, days: list[GroupDay]) -> list[GroupDay]:
    """The group-days on which one of a campaign item's windows is open: the reason it is
    not placed is a rule of those days (an ordered deal's own day, not the days before)."""
    due = []
    for gd in days:
        for start, end in windows:  # in the group's zone, as the campaign builder makes them
            day_start = datetime.combine(gd.date, time(0, 0), tzinfo=start.tzinfo)
            if start < day_start + timedelta(days=1) and day_start < end:
                due.append(gd)
                break
    return due


def why_not_placed(x: Conflict, item_id: str, days: list[GroupDay]) -> str:
    """What keeps an item a campaign requests out of its group this week: when the
    catalogue's candidate filters refuse it every day, the first refusal (of a day with a
    stage) with the setting's file:line; else it was a candidate and the plan chose others."""
    item = x.items.get(item_id)
    if item is None:
        return "not in the content library"
    f = filtering(x, days[0])
    refusals = [day_refusal(x, f, item, gd) for gd in days]
    if all(refusals):  # the days the group has a stage say more than those it has none
        staged = [r for r, gd in zip(refusals, days, strict=True) if gd.stage is not None]
        return (staged or refusals)[0]
    return (
        "not chosen: it could go out, but the week's limits (caps, one check-in a day, "
        "repeats) left room only for posts worth more"
    )
