"""Memory across weeks: what earlier runs in the output folder already posted.

Planning week W reads what the weeks before it posted (cooldowns, once-items not
repeated within N weeks, check-in streaks that continue) and what the last run of W
itself published (keep unchanged posts in place, raise SEQUENCE on moved ones, cancel
dropped ones). Each week folder keeps this group by group, plans/<group>.json, so a run
reads only the groups it is about to plan: the driver reads a unit's files just before
the unit is dispatched, and the worker parses them. No process reads every post of
eight weeks. Week folders written before plans/ existed are read from their plan.json,
whole (a small workspace's upgrade path).
"""

from __future__ import annotations

import os
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from planner.errors import Finding, PlannerError
from planner.models.common import ID_PATTERN
from planner.plan import PLANS, GroupWeek, Post
from planner.run.revisions import LastRun, previous_plan
from planner.solver.problem import iso_week, week_start

WEEKS_BACK = 8
Doc = tuple[str, bytes]  # a plans file as read: where it was, what it holds


@dataclass
class History:
    """Some groups' past, parsed: what the playbook and the verifier read."""

    earlier: list[Post] = field(default_factory=list)  # posts of the weeks before, oldest first
    previous: LastRun | None = None  # this week's last run, when there was one

    def last_posted(self) -> dict[tuple[str, str], Post]:
        """(group, item) -> its latest earlier post."""
        out: dict[tuple[str, str], Post] = {}
        for post in self.earlier:
            key = (post.group, post.item)
            if key not in out or out[key].start < post.start:
                out[key] = post
        return out

    def streaks(self) -> dict[str, tuple[date, int]]:
        """group -> (local date, day number) of the latest post of its daily series."""
        out: dict[str, tuple[date, int]] = {}
        for post in self.earlier:
            if post.streak:
                local = post.start.astimezone(ZoneInfo(post.timezone)).date()
                out[post.group] = (local, post.streak)
        return out


@dataclass(frozen=True)
class Record:
    """Some groups' past as the files hold it, parsed only where it is used (a worker)."""

    earlier: tuple[Doc, ...] = ()  # the weeks before, oldest first
    last: tuple[Doc, ...] = ()  # this week's last run, of these groups
    # the last run's posts of groups no longer in the workspace, for the operator who posted them
    left: LastRun | None = None

    def history(self, strict: bool = True) -> History:
        """The past, parsed; a damaged file raises PlannerError naming it, or, not `strict`
        (what a failed unit keeps of its last run), is left out."""
        earlier = [post for week in _weeks(self.earlier, strict) for post in week.posts]
        earlier.sort(key=lambda p: (p.start, p.group, p.item))
        runs = [(week.posts, week.cancelled) for week in _weeks(self.last, strict)]
        if self.left is not None:
            runs.append((self.left.posts, self.left.cancelled))
        previous = None
        if runs:
            previous = LastRun(
                [post for posts, _ in runs for post in posts],
                [post for _, cancelled in runs for post in cancelled],
            )
        return History(earlier, previous)


class Past:
    """The output folder's runs of the weeks before a week and of the week itself."""

    def __init__(self, out: Path, day: date, weeks: int = WEEKS_BACK):
        self.warnings: list[str] = []  # files of the past left out, in the user's words
        start = week_start(day)
        back = range(weeks, 0, -1)  # oldest first
        self.earlier = [out / iso_week(start - timedelta(weeks=n)) for n in back]
        self.this_week = out / iso_week(start)
        self._kinds: dict[Path, str | None] = {}
        self._legacy: dict[Path, dict[str, bytes]] = {}

    def record(self, groups: Iterable[str], left: LastRun | None = None) -> Record:
        """What a unit of these groups needs of the past, read from disk, not parsed."""
        ids = list(groups)
        earlier = tuple(
            doc for folder in self.earlier for g in ids if (doc := self._read(folder, g))
        )
        last = tuple(doc for g in ids if (doc := self._read(self.this_week, g)))
        return Record(earlier, last, left)

    def history(self, groups: Iterable[str]) -> History:
        """These groups' past, parsed here (a check of a whole small week; tests)."""
        return self.record(groups).history()

    def left_behind(self, present: Container[str]) -> dict[str, LastRun]:
        """The last run's posts of groups no longer in the workspace, cut by the operator who
        posted each (whose calendar still shows them): they are cancelled now."""
        out: dict[str, LastRun] = {}
        for name, doc in self._removed(present):
            try:
                week = _parsed((name, doc))
            except PlannerError as exc:  # not ours, or damaged: nothing in it is followed
                ignored = "ignored: its posts are not cancelled"
                self.warnings += [f"{finding}; {ignored}" for finding in exc.findings]
                continue
            for kept, posts in ((True, week.posts), (False, week.cancelled)):
                for post in posts:
                    run = out.setdefault(post.operator, LastRun())
                    (run.posts if kept else run.cancelled).append(post)
        return dict(sorted(out.items()))

    def _removed(self, present: Container[str]) -> Iterable[Doc]:
        folder = self.this_week
        kind = self._kind(folder)
        if kind == "legacy":
            index = self._legacy_index(folder)
            for group in sorted(g for g in index if g not in present):
                yield str(folder / "plan.json"), index[group]
        elif kind == "plans":
            with os.scandir(folder / PLANS) as entries:
                names = [e.name for e in entries if e.name.endswith(".json")]
            for name in sorted(n for n in names if n.removesuffix(".json") not in present):
                doc = self._read(folder, name.removesuffix(".json"))
                if doc is not None:
                    yield doc

    def _kind(self, folder: Path) -> str | None:
        """'plans' (one file per group), 'legacy' (only plan.json) or None (never planned)."""
        if folder not in self._kinds:
            if (folder / PLANS).is_dir():
                self._kinds[folder] = "plans"
            elif (folder / "plan.json").is_file():
                self._kinds[folder] = "legacy"
            else:
                self._kinds[folder] = None
        return self._kinds[folder]

    def _read(self, folder: Path, group: str) -> Doc | None:
        kind = self._kind(folder)
        if kind == "legacy":
            doc = self._legacy_index(folder).get(group)
            return (str(folder / "plan.json"), doc) if doc is not None else None
        if kind is None:
            return None
        path = folder / PLANS / f"{group}.json"
        try:
            return str(path), path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PlannerError(
                Finding(str(path), 0, f"cannot read it: {exc}", "a readable file")
            ) from exc

    def _legacy_index(self, folder: Path) -> dict[str, bytes]:
        """A folder without plans/: its plan.json read once, cut per group."""
        if folder not in self._legacy:
            plan = previous_plan(folder / "plan.json")
            weeks: dict[str, GroupWeek] = {}
            if plan is not None:
                for kept, posts in ((True, plan.posts), (False, plan.cancelled)):
                    for post in posts:
                        week = weeks.setdefault(
                            post.group, GroupWeek(group=post.group, week=plan.week)
                        )
                        (week.posts if kept else week.cancelled).append(post)
            self._legacy[folder] = {g: w.model_dump_json().encode() for g, w in weeks.items()}
        return self._legacy[folder]


def _weeks(docs: Iterable[Doc], strict: bool) -> Iterator[GroupWeek]:
    for doc in docs:
        try:
            yield _parsed(doc)
        except PlannerError:
            if strict:
                raise


def _parsed(doc: Doc) -> GroupWeek:
    """A plans file's week, refused (PlannerError naming the file) when it is damaged or
    holds posts of another group than its name says: a group id becomes a file name."""
    name, data = doc
    try:
        week = GroupWeek.model_validate_json(data)
    except ValidationError as exc:
        raise _damaged(
            name, f"{exc.error_count()} errors, first: {exc.errors()[0]['msg']}"
        ) from exc
    named = week.group if Path(name).name == "plan.json" else Path(name).stem
    groups = {week.group, *(post.group for post in [*week.posts, *week.cancelled])}
    if groups != {named} or not re.fullmatch(ID_PATTERN, named):
        shown = ", ".join(repr(g)[:60] for g in sorted(groups - {named})[:3])
        raise _damaged(name, f"it holds posts of group {shown}, not only of {named!r}")
    return week


def _damaged(name: str, what: str) -> PlannerError:
    return PlannerError(
        Finding(
            name,
            0,
            f"not a plan file the planner wrote ({what})",
            "restore it, or delete it to plan its group without that week's memory; "
            "until then its groups are not planned and keep the last run's posts",
        )
    )
