"""`planner sync`: a published week put into a CalDAV calendar, so re-plans reach the
calendar without an import (week: what to send; server: the calendar; command: the CLI)."""
