"""index.html: the week's posting scripts on one page, sanitised, with a copy button per post.

The markdown package passes raw HTML, `javascript:` links and event handlers
through, so its output goes through nh3 before our own buttons and script are
added. Everything is in the one file: no external resources, readable on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html import escape as html_escape

import markdown
import nh3

from planner.workspace import Workspace
from planner.writers.labels import LABELS
from planner.writers.scripts import POST_FENCE_INFO, environment

_POST_CLASS = f"language-{POST_FENCE_INFO}"
_POST_BLOCK = re.compile(rf'(<pre><code class="{_POST_CLASS}">.*?</code></pre>)', re.DOTALL)
_COPY_BUTTON = '\n<button class="copy" type="button">{label}</button>'


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """The page loads nothing from outside: an image is the week's own images/ file."""
    if tag == "img" and attribute == "src":
        return value if value.startswith("images/") and ".." not in value else None
    return value


def markdown_to_safe_html(text: str) -> str:
    html = markdown.markdown(text, extensions=["fenced_code", "tables"], output_format="html")
    return nh3.clean(
        html,
        allowed_classes={"code": {_POST_CLASS}},
        attribute_filter=_local_images_only,
        url_schemes={"http", "https", "mailto"},
    )


def index_section(ws: Workspace, group_id: str, script: str) -> dict[str, str]:
    """One group's part of index.html, from its posting script (rendered where the script is)."""
    labels = LABELS[ws.settings.locale]
    html = markdown_to_safe_html(script.replace("](../images/", "](images/"))
    button = _COPY_BUTTON.format(label=html_escape(labels["copy"]))
    html = _POST_BLOCK.sub(lambda m, b=button: m.group(1) + b, html)
    return {"id": group_id, "name": ws.group(group_id).name, "html": html}


def render_index(ws: Workspace, week: str, sections: Iterable[dict]) -> Iterator[str]:
    """The page, streamed; `sections` (one per group, rendered where its script was) are
    iterated twice, for the contents and for the page, so they may be read from disk."""
    labels = LABELS[ws.settings.locale]
    env = environment(ws.root)
    env.autoescape = True  # everything but the sanitised sections is escaped
    template = env.get_template("index.html.j2")
    return template.generate(
        lang="zh-CN" if ws.settings.locale == "zh-CN" else "en",
        title=f"{ws.settings.name} · {week} {labels['index_title']}",
        sections=sections,
        copied_label=labels["copied"],
    )


def copy_targets(html: str) -> int:
    """How many copy buttons the page has (one per post)."""
    return len(re.findall(r'<button class="copy"', html))
