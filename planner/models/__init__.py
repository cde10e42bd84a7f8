"""Typed models of every file a user writes."""

from planner.models.campaigns import Campaign, CampaignsFile
from planner.models.common import GroupType, Kind, Stage, TimeWindow
from planner.models.groups import Group, GroupsFile
from planner.models.items import ITEM_MODELS, Item, ItemBase
from planner.models.rules import Caps, CapsOverride, RulePacks
from planner.models.settings import Settings

__all__ = [
    "ITEM_MODELS",
    "Campaign",
    "CampaignsFile",
    "Caps",
    "CapsOverride",
    "Group",
    "GroupType",
    "GroupsFile",
    "Item",
    "ItemBase",
    "Kind",
    "RulePacks",
    "Settings",
    "Stage",
    "TimeWindow",
]
