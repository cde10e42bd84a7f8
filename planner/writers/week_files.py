"""The week's own files (plan.json, report.md, index.html, calendar.ics, images/),
assembled from the operators' pieces without holding the week in memory; and the plans
files of groups no longer in the workspace, whose cancelled posts any operator may hold.

Each operator's share is rendered into pieces where it is planned: its posts as
plan.json items, its groups' rows and sections of report.md, its groups' sections of
index.html. The driver keeps the pieces on disk in the staging folder and only counts
(a Tally); at the end it streams them into the week's files, operators in sorted
order, so the files are the same whatever order the operators finished in.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from pydantic import BaseModel, TypeAdapter

from planner.models.settings import Settings
from planner.plan import PLANS, GroupWeek, Plan, Post
from planner.workspace.library import image_file
from planner.workspace.load import Workspace
from planner.writers.grid import operator_grid_file, report_lines
from planner.writers.html import render_index, render_index_of_pages, whole_page_is_index
from planner.writers.ical import render_calendar, render_index_calendar
from planner.writers.imports import calendar_is_index, import_lines
from planner.writers.load import by_operator_day, load_section
from planner.writers.output import OutputFolder
from planner.writers.report import report_chunks
from planner.writers.scripts import image_target

# plan.json's lists that are streamed from the operators' pieces, and their piece files
STREAMED = {"posts": "posts.json", "cancelled": "cancelled.json", "follow_ups": "follow_ups.json"}
_POSTS = TypeAdapter(list[Post])


def _post_order(post: Post) -> tuple:
    return (post.start, post.item, post.operator, post.uid)


@dataclass
class Tally:
    """What the week's own files need to know of an operator's share besides its pieces."""

    groups: int = 0  # groups with at least one post
    images: set[str] = field(default_factory=set)  # items whose image a post sends
    by_operator: dict[str, int] = field(default_factory=dict)  # posts of each operator
    days: dict[str, tuple[int, ...]] = field(default_factory=dict)  # their posts per day
    imports: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each one's calendars
    calendar_bytes: int = 0  # the operators' calendars together: calendar.ics's size, about

    def calendar_is_index(self, settings: Settings) -> bool:
        return calendar_is_index(self.posts, self.calendar_bytes, settings)

    @property
    def posts(self) -> int:
        return sum(self.by_operator.values())

    @classmethod
    def of(cls, ws: Workspace, operator: str, share: Plan) -> Tally:
        days = by_operator_day(ws, operator, share.week_start, share.posts)
        return cls(
            groups=len({p.group for p in share.posts}),
            images={p.item for p in share.posts if p.image},
            by_operator={operator: len(share.posts)},
            days={operator: tuple(map(len, days))},
        )

    def posts_of(self, operators: Iterable[str]) -> dict[str, int]:
        """Each operator's posts, in the given order; 0 for one who has none (the indexes
        list every operator)."""
        return {op: self.by_operator.get(op, 0) for op in operators}

    def add(self, other: Tally) -> None:
        self.groups += other.groups
        self.images |= other.images
        self.by_operator.update(other.by_operator)
        self.days.update(other.days)
        self.imports.update(other.imports)
        self.calendar_bytes += other.calendar_bytes


def json_items(models: Iterable[BaseModel]) -> str:
    """Models as they stand inside one of plan.json's lists (comma-separated, indented)."""
    return ",\n".join(textwrap.indent(m.model_dump_json(indent=2), "    ") for m in models)


def plans_file(group: str) -> str:
    return f"{PLANS}/{group}.json"


def group_week(group: str, week: str, posts: list[Post], cancelled: list[Post]) -> bytes:
    """plans/<group>.json: what later runs read of this group's week (planner.run.history)."""
    doc = GroupWeek(group=group, week=week, posts=posts, cancelled=cancelled)
    return (doc.model_dump_json() + "\n").encode("utf-8")


@dataclass
class UnitFiles:
    """One operator's files, and their pieces of the week's own files."""

    files: dict[str, bytes] = field(default_factory=dict)
    pieces: dict[str, str] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    # the weeks of groups no longer in the workspace whose posts this operator's calendar cancels
    left: list[GroupWeek] = field(default_factory=list)


class WeekFiles:
    """Collects each operator's files and pieces into `folder`, then writes the week's own."""

    def __init__(self, folder: OutputFolder):
        self.folder = folder
        self.tally = Tally()
        self.left: dict[str, GroupWeek] = {}  # a group no longer in the workspace -> its posts

    def add(self, operator: str, rendered: UnitFiles, keep: bool = False) -> None:
        """An operator's files and pieces; `keep`: its problem gave no plan, so each of its
        files that the published week holds stays byte for byte as it is."""
        for name, data in rendered.files.items():
            if not (keep and self.folder.keep(name)):
                self.folder.add(name, data)
        for piece, text in rendered.pieces.items():
            if text:
                self.folder.spill(f"{operator}/{piece}", text)
        self.tally.add(rendered.tally)
        self._leave(rendered.left)

    def _leave(self, weeks: Iterable[GroupWeek]) -> None:
        for week in weeks:
            held = self.left.setdefault(week.group, GroupWeek(group=week.group, week=week.week))
            held.posts.extend(week.posts)
            held.cancelled.extend(week.cancelled)

    def write(self, ws: Workspace, header: Plan) -> None:
        """The week's own files. `header`: the week without the operators' lists (its
        `cancelled`: posts of operators who have no group left, in no operator's pieces)."""
        operators = list(ws.operators())
        index = self.tally.calendar_is_index(ws.settings)
        self._leave(
            GroupWeek(group=p.group, week=header.week, cancelled=[p]) for p in header.cancelled
        )
        for group, held in sorted(self.left.items()):  # sorted: whatever order operators finished
            posts, cancelled = (sorted(s, key=_post_order) for s in (held.posts, held.cancelled))
            self.folder.add(plans_file(group), group_week(group, header.week, posts, cancelled))
            self.folder.add(f"groups/{group}.ics", _left_calendar(ws, header, posts, cancelled))
        self.folder.add("calendar.ics", self._calendar(ws, header, operators))
        for item_id in sorted(self.tally.images):
            source = image_file(ws.items[item_id])
            if source is not None:
                self.folder.add(image_target(ws.items[item_id].image or ""), source.read_bytes())
        if whole_page_is_index(self.tally.posts, ws.settings):
            counts = self.tally.posts_of(operators)
            self.folder.add("index.html", render_index_of_pages(ws, header.week, counts).encode())
        else:
            grids = [operator_grid_file(op) for op in operators]
            page = render_index(ws, header.week, _Sections(self, operators), grids=grids)
            self.folder.add_chunks("index.html", page)
        self.folder.add_chunks("plan.json", self._plan_json(header, operators))
        self.folder.add_chunks(
            "report.md",
            report_chunks(
                ws,
                header,
                self.tally.posts,
                self.tally.groups,
                self.pieces("unplaced.md", operators),
                self.pieces("groups.md", operators),
                load=load_section(
                    header.week_start, self.tally.days, self.tally.by_operator, header.left_out
                ),
                imports=import_lines(self.tally.imports, index),
                calendar_index=index,
                pictures=report_lines(
                    operators, len(ws.groups) <= ws.settings.group_grids_max_groups
                ),
            ),
        )

    def pieces(self, piece: str, operators: Iterable[str]) -> Iterator[str]:
        """One kind of piece, operator by operator (one operator's in memory at a time)."""
        for operator in operators:
            path = self.folder.spilled(f"{operator}/{piece}")
            if path is not None:
                yield path.read_text(encoding="utf-8")

    def _plan_json(self, header: Plan, operators: list[str]) -> Iterator[str]:
        """plan.json as pydantic writes a whole Plan, its long lists streamed from pieces."""
        extra = {"cancelled": json_items(header.cancelled)}
        empty = header.model_copy(update={key: [] for key in STREAMED})
        for line in empty.model_dump_json(indent=2).split("\n"):
            empty_list = line.removesuffix(",")  # e.g. '  "posts": []', a top-level list
            key = next((k for k in STREAMED if empty_list == f'  "{k}": []'), None)
            if key is None:
                yield line + "\n"
                continue
            yield f'  "{key}": ['
            first = True
            # one operator's piece in memory at a time (a list here held them all)
            for chunk in chain(self.pieces(STREAMED[key], operators), [extra.get(key, "")]):
                if chunk:  # one operator's items, already comma-separated
                    yield ("\n" if first else ",\n") + chunk
                    first = False
            yield ("]" if first else "\n  ]") + line.removeprefix(empty_list) + "\n"

    def _calendar(self, ws: Workspace, header: Plan, operators: list[str]) -> bytes:
        """calendar.ics: the whole week, or past whole_calendar_max_posts or the import size
        an index of the operators' files (then the posts are never read back)."""
        settings = ws.settings
        title = f"{settings.name} {header.week}"
        if self.tally.calendar_is_index(settings):
            return render_index_calendar(header, self.tally.imports, title)
        posts = self._read_posts("posts.json", operators)
        cancelled = [*self._read_posts("cancelled.json", operators), *header.cancelled]
        names = {g.id: g.name for g in ws.groups}
        return render_calendar(
            header, posts, cancelled, names, title, settings.alarm_minutes, settings.locale
        )

    def _read_posts(self, piece: str, operators: list[str]) -> list[Post]:
        return [
            p for text in self.pieces(piece, operators) for p in _POSTS.validate_json(f"[{text}]")
        ]


def _left_calendar(ws: Workspace, header: Plan, posts: list[Post], cancelled: list[Post]) -> bytes:
    """groups/<id>.ics of a group no longer in the workspace: whoever imported only that file
    must get its cancellations too, under the group's last known name."""
    name = next((p.group_name for p in [*posts, *cancelled] if p.group_name), "")
    title = f"{name or (posts or cancelled)[0].group} {header.week}"
    settings = ws.settings
    return render_calendar(
        header, posts, cancelled, {}, title, settings.alarm_minutes, settings.locale
    )


class _Sections:
    """index.html's group sections, read from the pieces each time the page iterates them."""

    def __init__(self, files: WeekFiles, operators: list[str]):
        self.files = files
        self.operators = operators

    def __iter__(self) -> Iterator[dict]:
        for text in self.files.pieces("sections.jsonl", self.operators):
            for line in text.split("\n"):  # not splitlines: U+2028 may stand in a post
                if line:
                    yield json.loads(line)
