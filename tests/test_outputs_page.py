"""index.html as browsers read it: an HTML tokenizer and Debian's headless Chromium (driven
by Playwright, which never downloads a browser here).

No workspace text can inject markup, script or outside resources into the page, and every
copy button puts exactly its post's text on the clipboard."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import struct
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, sync_playwright
from tiny import build, group, items_of

from planner.cli import main
from planner.workspace.resources import demo_workspace
from planner.writers.labels import LABELS

CHROMIUM = "/usr/bin/chromium"  # Debian's; .ci/run installs it when missing
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
COPY, COPIED = LABELS["zh-CN"]["copy"], LABELS["zh-CN"]["copied"]

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '"><script>alert(2)</script>',
    "<style>@import 'http://evil.example/x.css'</style>",
    '<a href="JaVaScRiPt:alert(1)">y</a>',
]


# ------------------------------------------------------------------------ helpers


def plan_week(workspace: Path, week: str = "2026-11-23") -> tuple[Path, dict]:
    result = CliRunner().invoke(main, ["plan", str(workspace), "--week", week])
    assert result.exit_code == 0, result.output
    folder = workspace / "outputs" / "2026-W48"
    return folder, json.loads((folder / "plan.json").read_text("utf-8"))


def texts_by_group(plan: dict) -> dict[str, list[str]]:
    """Each group's post texts in page order (time order)."""
    out: dict[str, list[str]] = {}
    for post in sorted(plan["posts"], key=lambda p: (p["start"], p["item"])):
        out.setdefault(post["group"], []).append(post["text"])
    return out


def workspace_with(
    root: Path,
    notes: list[str],
    atmosphere: list[list[str]],
    titles: list[str] | None = None,
    bodies: list[str] | None = None,
    group_name: str = "g群",
    workspace_name: str = "tiny",
) -> None:
    """One group, one daily article per note (value high, so every one is placed)."""
    specs = [
        (f"x{n}", "article", {"repeat": "daily", "value": 9, "notes": note, "atmosphere": atm})
        for n, (note, atm) in enumerate(zip(notes, atmosphere, strict=True))
    ]
    items = items_of(*specs)
    for n, spec in enumerate(items):
        if titles:
            spec["title"] = titles[n]
        if bodies:
            spec["body"] = bodies[n]
    rules = {"stages": {"stages": {"retention": {"required": []}}}}
    build(
        root,
        [group("g", name=group_name, caps={"per_day": 8, "per_hour": 3})],
        items,
        rules,
        settings={"name": workspace_name},
    )


class Tags(HTMLParser):
    """Every start tag with its (unescaped) attributes, and the text of each <pre>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.pres: list[str] = []
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))
        if tag in ("script", "pre"):
            self._in.append(tag)
            (self.scripts if tag == "script" else self.pres).append("")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if "script" in self._in:
            self.scripts[-1] += data
        elif "pre" in self._in:
            self.pres[-1] += data


URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "xlink:href"}


def outside_urls(tags: list[tuple[str, dict[str, str]]]) -> list[str]:
    """Attributes that point off the page's own folder: scheme-qualified or //host."""
    bad = []
    for tag, attrs in tags:
        for name, value in attrs.items():
            squashed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and (
                re.match(r"^[a-z][a-z0-9+.-]*:", squashed) or squashed.startswith("//")
            ):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # no access log on stderr
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1 and a free port, in a thread."""
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as play:
        chromium = play.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000
        )
        yield chromium
        chromium.close()


@contextlib.contextmanager
def open_page(
    browser: Browser, base: str, path: str = "index.html"
) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page of the week (index.html unless `path` says) at phone size, with clipboard
    rights; nothing may leave 127.0.0.1.

    Yields the page, the outside URLs it tried to load (aborted), and any dialogs."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    outside: list[str] = []
    dialogs: list[str] = []

    def route(route):
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base}/{path}", wait_until="load")
        page.wait_for_timeout(200)  # let any injected handler fire
        yield page, outside, dialogs
    finally:
        context.close()


def click_every_copy_button(page: Page) -> dict[str, list[str]]:
    """Click each copy button of each group section; what the clipboard held after each."""
    copied: dict[str, list[str]] = {}
    for section in page.locator("section").all():
        buttons = section.locator("button.copy")
        assert buttons.all_inner_texts() == [COPY] * buttons.count()
        texts = copied.setdefault(section.get_attribute("id"), [])
        for button in buttons.element_handles():
            page.evaluate("navigator.clipboard.writeText('')")
            button.click()
            texts.append(page.evaluate(AFTER_COPY, button))
            assert button.inner_text() == COPIED
    return copied


def assert_copies(copied: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    """Each group's buttons, in page order, copied exactly its posts' texts in time order."""
    for group_id in sorted(set(copied) | set(expected)):
        got, want = copied.get(group_id, []), expected.get(group_id, [])
        wrong = [
            f"button {n + 1}: copied {g!r:.80} instead of {w!r:.80}"
            for n, (g, w) in enumerate(zip(got, want, strict=False))
            if g != w
        ]
        assert len(got) == len(want) and not wrong, (
            f"{group_id}: {len(got)} copy buttons for {len(want)} posts; " + "; ".join(wrong[:3])
        )


AFTER_COPY = """async (button) => {
  const deadline = Date.now() + 5000;
  while (!button.classList.contains('done') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return navigator.clipboard.readText();
}"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("page-demo") / "demo"
    shutil.copytree(demo_workspace(), root)
    return plan_week(root)


@pytest.fixture(scope="module")
def xss_week(tmp_path_factory) -> tuple[Path, dict]:
    """Every corpus entry in a body, a title, the notes, the atmosphere lines, the group's
    and the workspace's names."""
    root = tmp_path_factory.mktemp("page-xss") / "ws"
    workspace_with(
        root,
        notes=[f"注意 {p} 备注" for p in XSS],
        atmosphere=[[p, f"好的 {p}"] for p in XSS],
        titles=[f"分享{n} {p}" for n, p in enumerate(XSS)],
        bodies=[f"今天的分享 {p} 结束\n第二行 {p}" for p in XSS],
        group_name='茶群<script>alert("g")</script><img src=x onerror=alert(3)>',
        workspace_name='演示<script>alert("w")</script>',
    )
    week, plan = plan_week(root)
    placed = {p["item"] for p in plan["posts"]}
    assert placed == {f"x{n}" for n in range(len(XSS))}, placed  # every payload is on the page
    return week, plan


# ------------------------------------------------------------------------------ tests


def test_xss_corpus_is_inert_in_the_markup(xss_week) -> None:
    week, plan = xss_week
    page = (week / "index.html").read_text("utf-8")
    parsed = Tags(page)
    names = [tag for tag, _ in parsed.tags]
    assert names.count("script") == 1, "only the page's own inline script"
    assert "button.copy" in parsed.scripts[0]
    assert not next(attrs for tag, attrs in parsed.tags if tag == "script")  # inline, no src
    assert names.count("style") == 1 and page.index("<style>") < page.index("</head>")
    for tag in ("iframe", "svg", "math", "object", "embed", "link", "base", "form", "frame"):
        assert tag not in names, tag
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert "javascript:" not in re.sub(r"[\x00-\x20]", "", value).lower(), (tag, value)
    assert outside_urls(parsed.tags) == []
    # The first post's copy-ready text is there verbatim: escaped, not stripped.
    assert parsed.pres[0].removesuffix("\n") == texts_by_group(plan)["g"][0]
    assert "今天的分享" in page


def test_xss_corpus_does_nothing_in_chromium(browser: Browser, xss_week) -> None:
    week, _ = xss_week
    with serve(week) as base, open_page(browser, base) as (page, outside, dialogs):
        found = page.evaluate(
            """() => {
              const all = [...document.querySelectorAll('*')];
              return {
                scripts: document.scripts.length,
                handlers: all.flatMap(e => [...e.attributes].map(a => a.name))
                             .filter(n => n.startsWith('on')),
                js: all.flatMap(e => [...e.attributes].map(a => a.value))
                       .filter(v => /javascript:/i.test(v.replace(/[\\s\\0]/g, ''))),
                foreign: document.querySelectorAll('iframe, svg, math, object, embed').length,
                styles: document.querySelectorAll('style').length,
                title: document.title,
              };
            }"""
        )
    assert dialogs == []
    assert outside == []
    assert found["scripts"] == 1 and found["styles"] == 1
    assert found["handlers"] == [] and found["js"] == [] and found["foreign"] == 0
    assert found["title"].startswith('演示<script>alert("w")</script>')  # shown as text


def test_xss_corpus_leaves_every_post_copyable(browser: Browser, xss_week) -> None:
    """Sanitised is not enough: after a note with the corpus the group's other posts must
    still be posts, each with its copy button copying its text verbatim."""
    week, plan = xss_week
    with serve(week) as base, open_page(browser, base) as (page, _, _):
        copied = click_every_copy_button(page)
    assert_copies(copied, texts_by_group(plan))


def test_page_loads_nothing_from_outside(browser: Browser, tmp_path: Path) -> None:
    """Notes, atmosphere lines and titles may not make the operator's phone fetch anything:
    no tracking pixel, no remote image, not even over a protocol-relative URL."""
    root = tmp_path / "ws"
    workspace_with(
        root,
        notes=[
            '图见 <img src="https://tracker.example/note.png">',
            "![图](https://tracker.example/md.png)",
        ],
        atmosphere=[["![图](//tracker.example/atm.png)"], ["好的"]],
        titles=["分享 <img src=http://tracker.example/title.png>", "分享二"],
    )
    week, plan = plan_week(root)
    assert {p["item"] for p in plan["posts"]} == {"x0", "x1"}
    markup = outside_urls(Tags((week / "index.html").read_text("utf-8")).tags)
    with serve(week) as base, open_page(browser, base) as (_, outside, dialogs):
        pass
    assert dialogs == []
    assert not markup and not outside, (
        f"index.html points outside the week folder: {sorted(set(markup))}; "
        f"Chromium tried to fetch: {sorted(set(outside))}"
    )


def test_copy_button_copies_the_post_and_the_page_fits_a_phone(
    browser: Browser, demo_week, tmp_path: Path
) -> None:
    week, plan = demo_week
    first = min((p for p in plan["posts"] if p["group"] == "tea-lovers"), key=lambda p: p["start"])
    # kept as a CI artefact when TEST_ARTEFACTS names a folder (.ci/run sets it)
    shot = Path(os.environ.get("TEST_ARTEFACTS") or tmp_path) / "index-390x844.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with serve(week) as base, open_page(browser, base) as (page, outside, dialogs):
        button = page.locator("#tea-lovers button.copy").first
        assert button.inner_text() == COPY
        button.click()
        page.wait_for_function("b => b.classList.contains('done')", arg=button.element_handle())
        assert page.evaluate("navigator.clipboard.readText()") == first["text"]
        assert button.inner_text() == COPIED
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(shot))
    assert outside == [] and dialogs == []
    assert width <= PHONE["width"], "sideways scrolling on a phone"
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (PHONE["width"], PHONE["height"])
    assert len(png) > 10_000  # text and buttons: a blank page this size is ~3 KB


def test_every_copy_button_copies_its_post(browser: Browser, demo_week) -> None:
    week, plan = demo_week
    with serve(week) as base, open_page(browser, base) as (page, _, _):
        copied = click_every_copy_button(page)
    assert_copies(copied, texts_by_group(plan))
    assert sum(map(len, copied.values())) == len(plan["posts"]) > 100


def test_each_operators_page_copies_their_posts_and_shows_the_images(
    browser: Browser, demo_week
) -> None:
    """operators/<operator>.html sits one folder down: its images must still load from the
    week's images/, and its buttons copy exactly that operator's posts."""
    week, plan = demo_week
    texts = texts_by_group(plan)
    operators = sorted({p["operator"] for p in plan["posts"]})
    assert len(operators) == 2
    images = 0
    for operator in operators:
        groups = {p["group"] for p in plan["posts"] if p["operator"] == operator}
        with (
            serve(week) as base,
            open_page(browser, base, f"operators/{operator}.html") as (page, outside, dialogs),
        ):
            shown = page.evaluate(
                "[...document.images].filter(i => !i.classList.contains('grid'))"
                ".map(i => [i.getAttribute('src'), i.naturalWidth])"
            )
            copied = click_every_copy_button(page)
        assert outside == [] and dialogs == []
        assert all(src.startswith("../images/") and width > 0 for src, width in shown), shown
        images += len(shown)
        assert_copies(copied, {g: texts[g] for g in groups})
    assert images > 0  # the demo has images: the test saw some load


def test_notes_cannot_add_or_steal_copy_buttons(browser: Browser, tmp_path: Path) -> None:
    """Operator notes are free text written in YAML: several lines, an indented step, a
    fence typed by habit. Still one copy button per post, and it copies that post."""
    root = tmp_path / "ws"
    workspace_with(
        root,
        notes=[
            "先发图，再发文字。\n回复模板：\n```\n收到，已登记～",
            "步骤：\n\n    1. 先私聊群主\n    2. 再发群里",
            "<pre>别复制这一段</pre>",
        ],
        atmosphere=[["好的"], ["收到"], ["👍"]],
    )
    week, plan = plan_week(root)
    assert {p["item"] for p in plan["posts"]} == {"x0", "x1", "x2"}
    with serve(week) as base, open_page(browser, base) as (page, _, _):
        copied = click_every_copy_button(page)
    assert_copies(copied, texts_by_group(plan))
