"""What each campaign kind asks of a group it targets: one function per kind of
campaigns.yaml, each adding needs, bans, windows and stage changes to the week's playbook.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.campaigns.builder import Builder, days_between, in_zone, local_time
from planner.campaigns.dissolve import camp_close, dissolve
from planner.campaigns.ends import closing_only, dissolve_notices
from planner.campaigns.playbook import Before, Task
from planner.campaigns.timeline import advance
from planner.models.campaigns import (
    LaunchCampaign,
    LiveCampaign,
    ReactivationCampaign,
    SevenDayRetentionCampaign,
    ShortEventCampaign,
    TrainingCampCampaign,
)
from planner.models.common import Stage
from planner.models.groups import Group
from planner.rules.deal_days import deal_days
from planner.rules.eligibility import promotional as is_promotional
from planner.rules.working_hours import off_all_along, working_hours


def launch(b: Builder, c: LaunchCampaign, group: Group) -> None:
    """Teasers, the launch post, a reminder and a last call; nothing after the deadline."""
    zone = b.zone(group)
    start, deadline = in_zone(c.launch_at, zone), in_zone(c.deadline, zone)
    _teasers(b, c, group, start)
    launches = b.roles(c, "launch")
    if launches:
        label = f"the launch post at {start:%Y-%m-%d %H:%M}"
        b.need(c, group, "launch", launches[:1], start, start + b.slot, 1, 1, label)
        b.window(c, group, launches[1:], start, deadline)
    after = start + b.slot
    reminder_end = max(after, deadline - timedelta(hours=24))
    label = f"a reminder between the launch and the last day ({reminder_end:%Y-%m-%d %H:%M})"
    low = 1 if reminder_end > after else 0
    reminders = b.at_offsets(c, group, "reminder", deadline, "the deadline")
    b.need(c, group, "reminder", reminders, after, reminder_end, low, None, label)
    label = f"a last call in the 24 hours before the deadline {deadline:%Y-%m-%d %H:%M}"
    last_calls = b.at_offsets(c, group, "last_call", deadline, "the deadline")
    b.need(c, group, "last_call", last_calls, reminder_end, deadline, 1, None, label)
    every = tuple(binding.item for binding in c.items if binding.item in b.ws.items)
    label = f"nothing of campaign {c.id} after its deadline {deadline:%Y-%m-%d %H:%M}"
    b.ban(c, group, every, deadline, local_time(b.week[1] + timedelta(days=1), zone), label)


def _teasers(b: Builder, c: LaunchCampaign, group: Group, start: datetime) -> None:
    """A teaser in the days the campaign's teaser_days_before names (either order)."""
    zone = b.zone(group)
    near, far = sorted(c.teaser_days_before)
    first = local_time(start.date() - timedelta(days=far), zone)
    last = local_time(start.date() - timedelta(days=near - 1), zone)
    label = (
        f"a teaser {near}-{far} days before the launch "
        f"({first.date()} to {(last - timedelta(days=1)).date()})"
    )
    b.need(c, group, "teaser", b.roles(c, "teaser"), first, last, 1, None, label, anchor=start)


def live(b: Builder, c: LiveCampaign, group: Group) -> None:
    """The live at its time, nothing else while it runs, reminders before, a replay after."""
    start = in_zone(c.start, b.zone(group))
    end = start + timedelta(minutes=c.duration_minutes)
    lives = b.roles(c, "live")
    label = f"the live at {start:%Y-%m-%d %H:%M} for {c.duration_minutes} minutes"
    b.need(c, group, "live", lives[:1], start, start + b.slot, 1, 1, label)
    label = f"no other post during the live ({start:%H:%M}-{end:%H:%M})"
    b.ban(c, group, None, start + b.slot, end, label)
    label = "no other post at the live's start"
    b.ban(c, group, None, start, start + b.slot, label, keep=lives[:1])
    reminders = b.at_offsets(c, group, "reminder", start, "the live")
    for low, high in sorted(c.reminder_windows, reverse=True):
        first = start - timedelta(minutes=high)
        last = start - timedelta(minutes=low) + timedelta(seconds=1)
        label = f"a reminder {low}-{high} minutes before the live"
        b.need(c, group, "reminder", reminders, first, last, 1, None, label, anchor=start)
    label = "a replay or recap within 24 hours after the live"
    b.need(c, group, "replay", b.roles(c, "replay"), end, end + timedelta(hours=24), 1, None, label)
    for item in b.roles(c, "replay"):
        b.book.anchors[(group.id, item)] = start  # `post.since_anchor`: 刚才 / 昨晚


def seven_day_retention(b: Builder, c: SevenDayRetentionCampaign, group: Group) -> None:
    """Break-even deals each day after the group was acquired, the ordered ones each on its
    day (the deal_order rule's days); then, maybe, activation."""
    zone = b.zone(group)
    deals = b.roles(c, "deal")
    dated = {item: dated for item, dated in deal_days(c).items() if item in deals}
    for item, (_, day) in dated.items():
        b.book.deal_days[(group.id, item)] = (c.id, day)
    low, high = c.deals_per_day
    count = f"{low}" if low == high else f"{low}-{high}"
    first = c.acquired_on + timedelta(days=1)
    for day in days_between(first, c.acquired_on + timedelta(days=c.days)):
        n = (day - c.acquired_on).days
        start, end = local_time(day, zone), local_time(day + timedelta(days=1), zone)
        todays = tuple(d for d in deals if d not in dated or dated[d][1] == day)
        # an item goes out once a day: a day the order left fewer deals asks for those
        fewest = min(low, len(todays))
        label = f"{count} break-even deal(s) on {day} (day {n} of the seven-day retention)"
        b.need(c, group, "deal", todays, start, end, fewest, high, label)
        for item in (d for d in todays if d in dated):
            label = f"deal {dated[item][0]} of the order on {day} (day {n} of the retention)"
            b.need(c, group, "deal", (item,), start, end, min(low, 1), 1, label)
    b.book.deal_series[group.id] = deals
    if c.activation_after_days is not None:
        activation = c.acquired_on + timedelta(days=c.activation_after_days)
        advance(b.book, group.id, (c.acquired_on, Stage.onboarding), (activation, Stage.activation))


def training_camp(b: Builder, c: TrainingCampCampaign, group: Group) -> None:
    """Value every day, promotion only in the last days, one-to-one follow-ups then."""
    zone = b.zone(group)
    convert_from = c.end - timedelta(days=c.conversion_days - 1)
    b.every_day(c, group, "value", c.start, c.end, "value content (lesson, check-in or Q&A)")
    label = (
        f"conversion posts in the camp's last {c.conversion_days} days ({convert_from} to {c.end})"
    )
    start, end = local_time(convert_from, zone), local_time(c.end + timedelta(days=1), zone)
    b.need(c, group, "conversion", b.roles(c, "conversion"), start, end, 1, None, label)
    label = f"no promotion before the camp's last {c.conversion_days} days ({convert_from})"
    promotional = tuple(sorted(i.id for i in b.ws.items.values() if is_promotional(i, b.ws.rules)))
    b.ban(c, group, promotional, local_time(c.start, zone), start, label)
    follow_ups = b.roles(c, "follow_up")
    for day in days_between(convert_from, c.end):
        for item in follow_ups:
            b.book.tasks.append(Task(c.id, group.id, item, day))
    b.window(c, group, follow_ups, local_time(c.end, zone), local_time(c.end, zone))
    closing_only(b, c, group, c.end, None, follow_ups + dissolve_notices(b))
    camp_close(b, c, group)


def short_event(b: Builder, c: ShortEventCampaign, group: Group) -> None:
    """Event posts each day, a thank-you after, then the group is dissolved."""
    zone = b.zone(group)
    b.every_day(c, group, "event", c.start, c.end, "event posts")
    _event_reminders(b, c, group, local_time(c.start, zone))
    dissolve_day = c.end + timedelta(days=c.dissolve_after_days)
    thanks_end = min(c.end + timedelta(days=3), dissolve_day)
    label = f"a thank-you and what comes next after the event (by {thanks_end})"
    start, end = local_time(c.end + timedelta(days=1), zone), local_time(thanks_end, zone)
    b.need(c, group, "thanks", b.roles(c, "thanks"), start, end, 1, None, label)
    for item in b.roles(c, "thanks"):
        b.book.anchors[(group.id, item)] = local_time(dissolve_day, zone)
    notices = b.roles(c, "dissolve")
    dissolve(b, c, group, notices, dissolve_day)
    closing_only(b, c, group, c.end, dissolve_day, b.roles(c, "thanks") + notices)


def _event_reminders(b: Builder, c: ShortEventCampaign, group: Group, day_one: datetime) -> None:
    """Reminders at their offset from the event's first day (its midnight: `at: "0d 08:00"`
    is that morning); one without an offset goes the day before or that morning."""
    free = b.at_offsets(c, group, "reminder", day_one, "the event's first day")
    label = f"a reminder the day before the event or on its morning ({c.start})"
    first, last = day_one - timedelta(days=1), day_one + timedelta(hours=12)
    b.need(c, group, "reminder", free, first, last, 1, None, label, anchor=day_one)


def reactivation(b: Builder, c: ReactivationCampaign, group: Group) -> None:
    """Day 1 renames and re-themes the group, seeds talk, then daily check-ins to activation."""
    zone = b.zone(group)
    day_one = local_time(c.start, zone)
    next_day = local_time(c.start + timedelta(days=1), zone)
    rename, theme = b.roles(c, "rename")[:1], b.roles(c, "theme")[:1]
    opens_by = b.ws.rules.stages.stages[Stage.reactivation].opens_by
    hours = working_hours(b.ws, group.operator)
    if opens_by and off_all_along(hours, zone, c.start, 0, opens_by.hour * 60 + opens_by.minute):
        opens_by = None  # an evening operator renames the group when they start
    by = local_time(c.start, zone, opens_by) if opens_by else next_day
    label = f"the rename notice on day 1 ({c.start}"
    label += f", by {opens_by:%H:%M}: stages.reactivation.opens_by)" if opens_by else ")"
    b.need(c, group, "rename", rename, day_one, by, 1, 1, label)
    label = f"the image-first theme post on day 1 ({c.start})"
    b.need(c, group, "theme", theme, day_one, next_day, 1, 1, label)
    _day_one_opens(b, c, group, rename, theme)
    label = "a seeded interaction prompt for the atmosphere team in the first 3 days"
    seed_end = local_time(c.start + timedelta(days=3), zone)
    b.need(c, group, "seed", b.roles(c, "seed"), day_one, seed_end, 1, None, label)
    activation = c.start + timedelta(days=c.activation_after_days)
    first, last = c.start + timedelta(days=1), activation - timedelta(days=1)
    b.every_day(c, group, "checkin", first, last, "the daily check-in with points")
    advance(b.book, group.id, (c.start, Stage.reactivation), (activation, Stage.activation))


def _day_one_opens(b: Builder, c: ReactivationCampaign, group: Group, rename, theme) -> None:
    """Day 1 belongs to the new theme: the rename notice is its first post, the theme post
    the next one; the stage's daily check-in starts the day after (members are greeted
    before they are asked to check in), so day 1 asks for no stage post of its own."""
    b.book.days_off.add((group.id, c.start))
    if rename and theme:
        label = "the rename notice comes before the theme post"
        b.book.order.append(Before(c.id, group.id, rename, theme, c.start, label))
    opening = rename + theme
    rest = tuple(item for item in b.ws.items if item not in opening)
    label = "the rename notice and the theme post open day 1"
    b.book.order.append(Before(c.id, group.id, opening, rest, c.start, label))


KINDS = {
    "launch": launch,
    "live": live,
    "seven_day_retention": seven_day_retention,
    "training_camp": training_camp,
    "short_event": short_event,
    "reactivation": reactivation,
}
