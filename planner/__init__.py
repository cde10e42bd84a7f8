"""community-planner: weekly content and campaign plans for community groups."""

__version__ = "0.1.0"
