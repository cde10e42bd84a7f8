"""index.html and operators/<operator>.html: posting scripts on one page, sanitised, with a
copy button per post. Past whole_page_max_posts, index.html only links the operators' pages.

The markdown package passes raw HTML, `javascript:` links and event handlers
through, so its output goes through nh3 before our own buttons and script are
added. Everything is in the one file: no external resources, readable on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html import escape as html_escape
from urllib.parse import unquote

import markdown
import nh3

from planner.models.settings import Settings
from planner.workspace.load import Workspace
from planner.writers.labels import LABELS
from planner.writers.scripts import POST_FENCE_INFO, environment, operator_name

_POST_CLASS = f"language-{POST_FENCE_INFO}"
_POST_BLOCK = re.compile(rf'(<pre><code class="{_POST_CLASS}">.*?</code></pre>)', re.DOTALL)
_COPY_BUTTON = '\n<button class="copy" type="button">{label}</button>'


def _images_under(prefix: str):
    """The page loads nothing from outside: an image is the week's own images/ file, as
    seen from the page's folder (`images/` from the week's, `../images/` from operators/)."""

    def only(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            rest = unquote(value[len(prefix) :])  # a browser reads %2e%2e as ..
            inside = value.startswith(prefix) and ".." not in rest and "\\" not in rest
            return value if inside else None
        return value

    return only


def markdown_to_safe_html(text: str, images: str = "images/") -> str:
    """The page's HTML of a script; a post's tabs stay tabs, so its copy button copies them
    (Markdown turns tabs into spaces: they pass it as a character the text does not use)."""
    tab = next((c for c in map(chr, range(0xE000, 0xF900)) if c not in text), "\t")
    html = markdown.markdown(
        text.replace("\t", tab), extensions=["fenced_code", "tables"], output_format="html"
    )
    return nh3.clean(
        html,
        allowed_classes={"code": {_POST_CLASS}},
        attribute_filter=_images_under(images),
        url_schemes={"http", "https", "mailto"},
    ).replace(tab, "\t")


def index_section(
    ws: Workspace, group_id: str, script: str, images: str = "images/"
) -> dict[str, str]:
    """One group's part of a page, from its posting script (rendered where the script is).
    The script sees the images from scripts/ (`../images/`); `images`: from the page."""
    labels = LABELS[ws.settings.locale]
    html = markdown_to_safe_html(script.replace("](../images/", f"]({images}"), images)
    button = _COPY_BUTTON.format(label=html_escape(labels["copy"]))
    html = _POST_BLOCK.sub(lambda m, b=button: m.group(1) + b, html)
    return {"id": group_id, "name": ws.group(group_id).name, "html": html}


def operator_sections(ws: Workspace, sections: list[dict], scripts: dict[str, str]) -> list[dict]:
    """The sections again for operators/<operator>.html, one folder down: only those whose
    script shows an image differ, so only those are rendered again."""
    return [
        index_section(ws, s["id"], script, "../images/") if "](../images/" in script else s
        for s, script in ((s, scripts[f"scripts/{s['id']}.md"]) for s in sections)
    ]


def render_index(
    ws: Workspace,
    week: str,
    sections: Iterable[dict],
    whose: str | None = None,
    timeline: dict | None = None,
    grids: Iterable[str] = (),
) -> Iterator[str]:
    """The page, streamed; `sections` (one per group, rendered where its script was) are
    iterated twice, for the contents and for the page, so they may be read from disk.
    `whose`: the operator's name on their own page, operators/<operator>.html, which
    shows their `timeline` (writers.timeline) first. `grids`: the week's pictures shown at
    the top (paths from the week's folder; each section may name its group's, `grid`)."""
    title = _title(ws, week)
    return _page(
        ws,
        (f"{title} · {whose}" if whose else title),
        sections=sections,
        timeline=timeline,
        grids=list(grids),
        up="../" if whose else "",
    )


def render_index_of_pages(ws: Workspace, week: str, posts_by_operator: dict[str, int]) -> str:
    """index.html for a week too large for one page: a link to each operator's page."""
    labels = LABELS[ws.settings.locale]
    pages = [
        {"href": f"operators/{op}.html", "name": operator_name(ws, op), "posts": posts}
        for op, posts in posts_by_operator.items()
    ]
    # the built-in template: a workspace's own index.html.j2 may predate `pages`
    page = _page(ws, _title(ws, week), builtin=True, pages=pages, posts_label=labels["posts"])
    return "".join(page)


def whole_page_is_index(posts: int, settings: Settings) -> bool:
    """Too many posts for a phone to open on one page: index.html links the operators'."""
    return posts > settings.whole_page_max_posts


def _title(ws: Workspace, week: str) -> str:
    return f"{ws.settings.name} · {week} {LABELS[ws.settings.locale]['index_title']}"


def _page(ws: Workspace, title: str, builtin: bool = False, **parts) -> Iterator[str]:
    env = environment(None if builtin else ws.root)
    env.autoescape = True  # everything but the sanitised sections is escaped
    template = env.get_template("index.html.j2")
    labels = LABELS[ws.settings.locale]
    return template.generate(
        lang="zh-CN" if ws.settings.locale == "zh-CN" else "en",
        title=title,
        copied_label=labels["copied"],
        copy_label=labels["copy"],
        **{"sections": (), "pages": (), "timeline": None, "grids": (), "up": "", **parts},
    )
