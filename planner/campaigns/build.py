"""One week's playbook, assembled: the past first, then each campaign in id order, the
implicit dissolves, the narrowing of windows, and the user's locks last.

Build it once per unit of work (planner.run.unit) and pass it along: the problem, the
verifier and the objective all read the same one.
"""

from __future__ import annotations

from datetime import date

from planner.campaigns.builder import Builder
from planner.campaigns.dissolve import implicit_dissolves
from planner.campaigns.events import event_moments
from planner.campaigns.kinds import KINDS
from planner.campaigns.locks import locks
from planner.campaigns.memory import memory
from planner.campaigns.playbook import Playbook
from planner.campaigns.timeline import settle
from planner.campaigns.windows import bindings, festivals
from planner.rules.eligibility import campaign_targets
from planner.workspace.load import Workspace


def playbook(ws: Workspace, week_start: date, history=None) -> Playbook:
    """What the campaigns, locks and earlier weeks ask of the week starting `week_start`."""
    builder = Builder(ws, week_start)
    if history is not None:
        memory(builder, history)
    covered: set[str] = set()
    for campaign in sorted(ws.campaigns, key=lambda c: c.id):
        for group in campaign_targets(ws.groups, campaign):
            KINDS[campaign.kind](builder, campaign, group)
            if campaign.kind == "short_event":
                covered.add(group.id)
    implicit_dissolves(builder, covered)
    event_moments(builder)
    bindings(builder)
    festivals(builder)
    locks(builder)
    settle(builder.book)
    return builder.book
