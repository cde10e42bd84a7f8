"""Which items may go to which group in which stage: one answer for check and scheduler."""

from __future__ import annotations

from planner.models.common import Stage
from planner.models.groups import Group
from planner.models.items import ItemBase
from planner.models.rules import RulePacks


def item_stages(item: ItemBase, rules: RulePacks) -> set[Stage]:
    """Stages an item may be posted in: its own list (or every stage) that allows its kind."""
    allowed = {stage for stage, rule in rules.stages.stages.items() if item.kind in rule.kinds}
    return allowed & set(item.stages) if item.stages else allowed


def fits_group_type(item: ItemBase, group: Group, rules: RulePacks) -> bool:
    if item.group_types and group.type not in item.group_types:
        return False
    return item.kind not in rules.group_types.group_types[group.type].forbidden_kinds


def group_topics(group: Group, default: list[str]) -> frozenset[str]:
    """A group's business topics: its own `topics`, else the workspace's (planner.yaml)."""
    return frozenset(default if group.topics is None else group.topics)


def fits_topics(item: ItemBase, topics: frozenset[str]) -> bool:
    """An item without topics is generic and fits every group; one with topics needs a
    group that shares at least one (a campaign binding overrides this: rules/topics.py)."""
    return not item.topics or not topics.isdisjoint(item.topics)


# Roles whose items are written for their campaign's moment (a launch, a live, an event's
# end, a reactivation's day 1): outside the campaign they would say what is not so.
MOMENT_ROLES = frozenset(
    ("teaser", "launch", "reminder", "last_call", "replay", "thanks", "dissolve", "rename",
     "theme", "follow_up")
)  # fmt: skip


def bound_to_moments(campaigns) -> frozenset[str]:
    """Items a campaign of the workspace binds in one of MOMENT_ROLES."""
    return frozenset(b.item for c in campaigns for b in c.items if b.role in MOMENT_ROLES)


def campaign_only(item: ItemBase, moment_items: frozenset[str] = frozenset()) -> bool:
    """Items that make sense only inside a campaign: marked `campaign_only: true`, bound
    somewhere in a moment role (`moment_items`), a live with no start of its own, a
    reminder of a named item or due at an offset from an anchor, a dissolve notice.
    Placed only where a campaign binds them."""
    if item.campaign_only or item.id in moment_items or item.kind == "dissolve_notice":
        return True
    if item.kind == "live":
        return getattr(item, "start", None) is None
    if item.kind != "reminder":
        return False
    return any(getattr(item, key, None) is not None for key in ("of", "before", "at"))


def campaign_targets(groups: list[Group], campaign) -> list[Group]:
    """The groups a campaign reaches: named, or carrying one of its tags, or of one of its types."""
    targets = campaign.targets
    return [
        g
        for g in groups
        if g.id in targets.groups or set(g.tags) & set(targets.tags) or g.type in targets.types
    ]


def may_receive(item: ItemBase, group: Group, rules: RulePacks) -> bool:
    """True when the group, in some stage of its timeline, may get this item."""
    if not fits_group_type(item, group, rules):
        return False
    stages = item_stages(item, rules)
    return any(span.stage in stages for span in group.stages)


def promotional(item: ItemBase, rules: RulePacks) -> bool:
    """Does this item sell? Its own `promo:` flag, else its kind's (caps promotional_kinds)."""
    return item.promo if item.promo is not None else item.kind in rules.caps.promotional_kinds
