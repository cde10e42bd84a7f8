"""index.html in a real browser (Debian's Chromium driven by Playwright): a copy button puts
exactly the post's text on the clipboard; the page is readable on a phone."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from planner.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def served_week(demo_copy: Path, runner):
    result = runner.invoke(main, ["plan", str(demo_copy), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    week = demo_copy / "outputs" / "2026-W48"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(week))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield week, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_copy_button_copies_the_post(served_week, tmp_path: Path) -> None:
    week, base = served_week
    plan = json.loads((week / "plan.json").read_text("utf-8"))
    first = min((p for p in plan["posts"] if p["group"] == "tea-lovers"), key=lambda p: p["start"])
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}/index.html")
        button = page.locator("#tea-lovers button.copy").first
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == first["text"]
        assert button.inner_text() == "已复制"
        shot = tmp_path / "index-phone.png"
        page.screenshot(path=str(shot), full_page=False)
        width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert shot.stat().st_size > 10_000
    assert width <= 390  # no sideways scrolling on a phone
    assert all(url.startswith(base) for url in requests)  # nothing from the internet
