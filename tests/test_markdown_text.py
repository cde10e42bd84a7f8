"""md_text: the user's titles, names, notes and atmosphere lines render as exactly their text.

A note is plain words for the operator. Whatever it contains (``` lines, four-space
indents, '#', '1.', '---', raw HTML, unclosed <iframe>), the page must show those words
and nothing else: no code block (which would get a copy button), no heading or list,
no markup, no outside resource.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.writers.html import markdown_to_safe_html
from planner.writers.scripts import md_text

SPECIALS = "`*_#>-+=~|[]()!<>&;\\.:1 \t\n"
TEXT = st.text(
    # YAML (our only source of these strings) admits no control characters
    alphabet=st.one_of(
        st.sampled_from(SPECIALS),
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")),
    ),
    max_size=60,
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.alts += [v or "" for k, v in attrs if k == "alt"]

    def handle_data(self, data):
        self.text.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def words(text: str) -> str:
    """What a reader sees: whitespace runs are one space."""
    return " ".join(text.split())


CONTEXTS = {
    # context: (Markdown around the text, the tags that may appear, the prefix it renders)
    "note": (
        lambda t: "> **Notes:** " + md_text(t, "> "),
        {"blockquote", "p", "strong", "br"},
        "Notes: ",
    ),
    "atmosphere": (lambda t: "- " + md_text(t, "  "), {"ul", "li", "p", "br"}, ""),
    "heading": (lambda t: "### 08:00 · " + md_text(t), {"h3"}, "08:00 · "),
    "table": (
        lambda t: "| a | b |\n|---|---|\n| x | " + md_text(t) + " |",
        {"table", "thead", "tbody", "tr", "th", "td"},
        "a b x ",
    ),
}


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
@example(text="```\ncode\n```")
@example(text="    indented\n\ttab")
@example(text="a\n===\nb\n---")
@example(text="# title #\n> quote\n1. one\n- item\n+ plus\n~~~\nx\n~~~")
@example(text="<iframe src=x>\n<textarea>rest")
@example(text="0.0\n1.5元\n2) two")
@example(text="<img src=https://evil.example/p.gif> ![p](//evil.example/p.gif)")
@example(text="&lt; &amp; &#61; \\*not em\\* a|b [x](javascript:alert(1))")
def test_user_text_renders_as_itself_in_every_context(text: str) -> None:
    for name, (wrap, allowed, prefix) in CONTEXTS.items():
        page = read(markdown_to_safe_html(wrap(text)))
        assert set(page.tags) <= allowed, (name, page.tags)
        assert words("".join(page.text)) == words(prefix + text), name


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_image_alt_is_the_title(text: str) -> None:
    page = read(markdown_to_safe_html("![" + md_text(text) + "](images/a.png)"))
    assert page.tags == ["p", "img"]
    assert words(page.alts[0]) == words(text)


def test_plain_words_stay_readable_in_the_script() -> None:
    """Escapes only where Markdown would act: everyday notes read as written."""
    note = "提前5分钟提醒大家 10:00-11:00 开播，记得@所有人！#本周话题 1.5元"
    assert md_text(note) == note
    assert re.fullmatch(r"\\#话题", md_text("#话题"))
