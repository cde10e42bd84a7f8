"""The objective in plain Python, recomputed from a plan and the workspace's rules.

A test asserts this equals the solver's objective, so the model cannot drift from
what the documentation says the planner optimises:
  sum over posts of item value x attention weight of its slot x stage fit of its kind
  + variety_bonus x distinct kinds per group and day
  - mix_penalty x posts a kind falls short of its stage's mix target per group and day.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Playbook
from planner.campaigns.timeline import stage_on
from planner.plan import Plan, Post
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peaks_on, resolve_caps


def mix_target(share: float, per_day: int) -> int:
    """Posts of a kind a day that the stage's mix asks for (rounded half up)."""
    return int(share * per_day + 0.5)


def post_value(ws: Workspace, post: Post, book: Playbook) -> int:
    """item value x attention weight x stage fit, from the inputs alone."""
    group = ws.group(post.group)
    start = post.start.astimezone(ZoneInfo(group.timezone or ws.settings.timezone))
    peaks = peaks_on(ws.rules, group.type, start.date())
    minute = start.hour * 60 + start.minute
    weights = [p.weight for p in peaks if p.window.contains(minute)]
    weight = max(weights) if weights else ws.rules.peaks.base_weight
    stage = stage_on(group, start.date(), book)
    # A campaign may bind an item whose kind its stage does not list: fit 1.
    fit = ws.rules.stages.stages[stage].kinds.get(ws.items[post.item].kind, 1)
    return ws.items[post.item].value * weight * fit


def objective_of(ws: Workspace, plan: Plan, book: Playbook | None = None) -> int:
    """The plan's objective; `book`: the week's playbook (built here when not given: only
    its stages count, which earlier weeks never change)."""
    weights = ws.rules.stages.objective
    book = book if book is not None else playbook(ws, plan.week_start)
    total = sum(post_value(ws, post, book) for post in plan.posts)
    kinds = Counter((post.group, post.start.date(), str(post.kind)) for post in plan.posts)
    total += weights.variety_bonus * len(kinds)
    if weights.mix_penalty > 0:
        for group in ws.groups:
            for offset in range(7):
                day = plan.week_start + timedelta(days=offset)
                stage = stage_on(group, day, book)
                if stage is None:
                    continue
                caps = resolve_caps(ws.rules.caps, group.type, stage, group.caps)
                for kind, share in ws.rules.stages.stages[stage].mix.items():
                    short = mix_target(share, caps.per_day) - kinds.get(
                        (group.id, day, str(kind)), 0
                    )
                    total -= weights.mix_penalty * max(0, short)
    return total
