"""Issue 21: the operator's phone page in time order (Debian's Chromium via Playwright):
today first, the next unsent post at the top, a copy button per post, a "sent" tick the
page keeps in local storage across a reload, and the group view one tap away."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_outputs_page import PHONE, browser, plan_week, serve  # noqa: F401 (the fixture)

from planner.workspace.resources import demo_workspace

SHANGHAI = timezone(timedelta(hours=8))
WEDNESDAY_9 = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("operator-page") / "demo"
    shutil.copytree(demo_workspace(), root)
    return plan_week(root)


def _open(browser, base: str, path: str):  # noqa: F811
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Shanghai")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page = context.new_page()
    page.clock.set_fixed_time(WEDNESDAY_9)
    page.goto(f"{base}/{path}", wait_until="load")
    return context, page


def test_the_operators_page_is_in_time_order_and_keeps_the_ticks(
    browser,  # noqa: F811
    demo,
    tmp_path: Path,
) -> None:
    week, plan = demo
    mine = sorted((p for p in plan["posts"] if p["operator"] == "xiaoli"), key=lambda p: p["start"])
    wednesday = [p for p in mine if p["start"].startswith("2026-11-25")]
    shot = Path(os.environ.get("TEST_ARTEFACTS") or tmp_path) / "operator-390x844.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with serve(week) as base:
        context, page = _open(browser, base, "operators/xiaoli.html")
        try:
            days = page.eval_on_selector_all(".day", "ds => ds.map(d => d.dataset.day)")
            assert days[0] == "2026-11-25" and days[-2:] == ["2026-11-23", "2026-11-24"]
            uids = page.eval_on_selector_all("div.post", "ps => ps.map(p => p.dataset.uid)")
            later = [p for p in mine if p["start"] >= "2026-11-25"]
            assert uids[: len(later)] == [p["uid"] for p in later]  # by the clock, across groups
            first = page.locator("div.post").first
            assert first.get_attribute("class") == "post next"
            assert wednesday[0]["title"] in page.inner_text("#next")
            assert first.locator("pre").inner_text() == wednesday[0]["text"]
            page.screenshot(path=str(shot))
            first.locator("input.sent").check()
            page.reload(wait_until="load")
            first = page.locator("div.post").first
            assert first.locator("input.sent").is_checked()  # kept on the phone
            assert "done" in (first.get_attribute("class") or "")
            assert wednesday[1]["title"] in page.inner_text("#next")  # the next unsent one
            page.click("nav.views a[href='#by-group']")  # the group view, one tap away
            assert page.evaluate("location.hash") == "#by-group"
            assert page.locator("section").count() == len({p["group"] for p in mine})
        finally:
            context.close()
