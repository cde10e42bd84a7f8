"""The CalDAV calendar a week is synced into, through the `caldav` package: our events in
it (UIDs the planner wrote, with X-PLANNER-GROUP), and the writes, each in place by UID.
Events the planner did not write are never read into a write, so never changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote

from planner.errors import Finding, PlannerError
from planner.plan import Plan
from planner.sync.week import UID_SUFFIX, Stored, Wanted, Write, local_day


def _caldav():
    try:
        import caldav
    except ImportError as exc:  # an extra: pip install community-planner[sync]
        raise PlannerError(
            Finding("caldav", 0, "the caldav package is not installed", SYNC_EXTRA)
        ) from exc
    return caldav


SYNC_EXTRA = "pip install 'community-planner[sync]'"


class Server:
    """One calendar collection at `url`, as `user`."""

    def __init__(self, url: str, user: str | None, password: str | None):
        self.caldav = caldav = _caldav()
        self.client = caldav.DAVClient(url=url, username=user, password=password)
        self.calendar = caldav.Calendar(client=self.client, url=url)
        self.objects: dict[str, object] = {}  # uid -> its resource on the server

    def ours(self, plan: Plan) -> dict[str, Stored]:
        """Our events the server holds around the week (a day either side for zones)."""
        start = datetime.combine(plan.week_start, datetime.min.time()) - timedelta(days=1)
        found = self.calendar.search(start=start, end=start + timedelta(days=9), event=True)
        out = {}
        for resource in found:
            event = _event_of(resource)
            uid = str(event.get("UID", ""))
            if not uid.endswith(UID_SUFFIX) or "X-PLANNER-GROUP" not in event:
                continue  # not ours: never touched
            self.objects[uid] = resource
            day = local_day(event.decoded("DTSTART"), plan.timezone)
            stamp = event.decoded("DTSTAMP") if "DTSTAMP" in event else None
            out[uid] = Stored(uid, int(event.get("SEQUENCE", 0)), stamp, day)
        return out

    def apply(self, writes: list[Write], want: dict[str, Wanted]) -> Iterator[Write]:
        """Each write in turn, yielded once the server took it."""
        for write in writes:
            # raw bytes: one PUT each, our SEQUENCE as planned (a plain save would raise
            # it, and look the UID up with a REPORT over the whole calendar first)
            if write.what == "create":
                url = self.calendar.url.join(quote(write.uid, safe="") + ".ics")
                resource = self.caldav.Event(client=self.client, url=url, parent=self.calendar)
                resource.save(raw_data=want[write.uid].data)
            elif write.what == "update":
                self.objects[write.uid].save(raw_data=want[write.uid].data)
            else:
                self.objects[write.uid].delete()
            yield write


def _event_of(resource):
    """The VEVENT of a calendar object resource."""
    return next(iter(resource.icalendar_instance.walk("VEVENT")), {})
