"""The CalDAV calendar a week is synced into, through the `caldav` package: our events in
it (UIDs the planner wrote, with X-PLANNER-GROUP), and the writes, each in place by UID.
Events the planner did not write are never read into a write, so never changed.

What the calendar holds is learnt from its sync token where the server keeps one (RFC
6578: only the resources changed since the last sync are fetched), else by listing the
week's events in full."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote

from planner.errors import Finding, PlannerError
from planner.plan import Plan
from planner.sync.state import Known
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
FETCH_BATCH = 500  # resources per calendar-multiget REPORT


class Server:
    """One calendar collection at `url`, as `user`."""

    def __init__(self, url: str, user: str | None, password: str | None):
        self.caldav = caldav = _caldav()
        self.client = caldav.DAVClient(url=url, username=user, password=password)
        self.calendar = caldav.Calendar(client=self.client, url=url)
        self.urls: dict[str, str] = {}  # uid -> its resource's URL on the server
        self.known = Known()  # what to remember for the next sync (no token: list again)
        self.read = ""  # how ours() learnt what the calendar holds, for the summary line

    def ours(self, plan: Plan, last: Known) -> dict[str, Stored]:
        """Our events in the calendar: the last sync's, with what changed since its token
        applied; a refused token starts over; no token support lists the week in full."""
        changed = self.changes(last.token) if last.token else None
        self.read = "what changed since the last sync (its sync token)"
        if changed is None:
            last = Known()
            changed = self.changes(None)
            self.read = "every event (a new sync token)"
        if changed is None:
            self.read = "the week's events in full (no sync token on this server)"
            return self._listed(plan)
        token, hrefs = changed
        events = {href: event for href, event in last.events.items() if href not in hrefs}
        events.update(self._fetched(hrefs, plan.timezone))
        self.known = Known(token, dict(sorted(events.items())))
        self.urls = {event.uid: href for href, event in self.known.events.items()}
        return {event.uid: event for event in self.known.events.values()}

    def changes(self, token: str | None) -> tuple[str, set[str]] | None:
        """(the new token, the hrefs added, changed or removed since `token`; every href
        for none), or None when the server keeps no token or refuses this one."""
        try:
            found = self.calendar.objects_by_sync_token(
                sync_token=token, load_objects=False, disable_fallback=True
            )
        except self.caldav.error.DAVError:  # no sync-collection here, or a stale token
            return None
        if not found.sync_token:
            return None
        return str(found.sync_token), {str(o.url.canonical()) for o in found}

    def _fetched(self, hrefs: set[str], zone: str) -> dict[str, Stored]:
        """href -> our event there, for those of `hrefs` that still exist and are ours."""
        wanted = sorted(hrefs)
        out = {}
        for first in range(0, len(wanted), FETCH_BATCH):
            urls = [self.calendar.url.join(h) for h in wanted[first : first + FETCH_BATCH]]
            for resource in self.calendar.multiget(urls):
                stored = _stored(resource, zone)
                if stored is not None:
                    out[str(resource.url.canonical())] = stored
        return out

    def _listed(self, plan: Plan) -> dict[str, Stored]:
        """Our events the server holds around the week (a day either side for zones)."""
        start = datetime.combine(plan.week_start, datetime.min.time()) - timedelta(days=1)
        found = self.calendar.search(start=start, end=start + timedelta(days=9), event=True)
        out = {}
        for resource in found:
            stored = _stored(resource, plan.timezone)
            if stored is not None:
                self.urls[stored.uid] = str(resource.url)
                out[stored.uid] = stored
        return out

    def apply(self, writes: list[Write], want: dict[str, Wanted]) -> Iterator[Write]:
        """Each write in turn, yielded once the server took it."""
        for write in writes:
            # raw bytes: one PUT each, our SEQUENCE as planned (a plain save would raise
            # it, and look the UID up with a REPORT over the whole calendar first)
            url = self.urls.get(write.uid) or self.calendar.url.join(
                quote(write.uid, safe="") + ".ics"
            )
            resource = self.caldav.Event(client=self.client, url=url, parent=self.calendar)
            if write.what == "delete":
                resource.delete()
            else:
                resource.save(raw_data=want[write.uid].data)
            yield write


def _stored(resource, zone: str) -> Stored | None:
    """One of our events as the resource holds it; None when someone else wrote it, or
    when it is gone (a multiget answers a removed href with no data)."""
    calendar = resource.icalendar_instance
    event = next(iter(calendar.walk("VEVENT")), {}) if calendar is not None else {}
    uid = str(event.get("UID", ""))
    if not uid.endswith(UID_SUFFIX) or "X-PLANNER-GROUP" not in event:
        return None  # not ours: never touched
    day = local_day(event.decoded("DTSTART"), zone)
    stamp = event.decoded("DTSTAMP") if "DTSTAMP" in event else None
    return Stored(uid, int(event.get("SEQUENCE", 0)), stamp, day)
