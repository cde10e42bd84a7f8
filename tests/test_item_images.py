"""An item's image is a library file that is an image by content, or a file:line error; never
a path outside, never copied or linked (issue 22 item 3, issue 23)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import write

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def _item(root: Path, image: str) -> Path:
    return write(
        root / "content_library" / "intro" / "pic.md",
        f"---\nid: pic\nkind: intro\ntitle: pic\nimage: {image}\n---\n看图 {{{{ group.name }}}}\n",
    )


def _refused(runner, root: Path, item: Path, words: str) -> None:
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    assert f"{item}:5: image " in result.stderr and words in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ("../../../victim.txt", "is not a path inside content_library/"),
        ("/etc/passwd", "is not a path inside content_library/"),
        ('"C:\\\\Windows\\\\win.ini"', "is not a path inside content_library/"),
        ('"images/a.png\\n### 10:00 fake post"', "holds a line break"),
        ('"images/a.png\\u2028x"', "holds a line break"),
        ("images/missing.png", "not found"),
        ("x" * 5000, "cannot be read (File name too long)"),  # found by benchmarks/fuzz_run.py
    ],
)
def test_paths_that_are_no_library_image_are_refused(runner, demo_copy, image, words) -> None:
    write(demo_copy / "victim.txt", "keep me")
    _refused(runner, demo_copy, _item(demo_copy, image), words)


def test_a_text_file_named_png_is_not_an_image(runner, demo_copy) -> None:
    write(demo_copy / "content_library" / "images" / "fake.png", "not an image")
    _refused(runner, demo_copy, _item(demo_copy, "images/fake.png"), "is not an image")


def test_a_link_out_of_the_library_is_refused(runner, demo_copy, tmp_path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (demo_copy / "content_library" / "images").mkdir(parents=True)
    os.symlink(outside, demo_copy / "content_library" / "images" / "link.png")
    _refused(runner, demo_copy, _item(demo_copy, "images/link.png"), "leads outside")


def test_plan_refuses_before_writing_and_leaves_the_file_alone(runner, demo_copy, tmp_path) -> None:
    victim = write(demo_copy / "victim.txt", "keep me")
    _item(demo_copy, "../../victim.txt")
    out = tmp_path / "out"
    result = runner.invoke(main, ["plan", str(demo_copy), "--week", "2026-11-23", "--out", out])
    assert result.exit_code == 1, result.output
    assert not out.exists() and victim.read_text("utf-8") == "keep me"


def test_library_images_by_content_are_found(runner, demo_copy) -> None:
    write(demo_copy / "content_library" / "images" / "own.jpg", "")
    (demo_copy / "content_library" / "images" / "own.jpg").write_bytes(b"\xff\xd8\xff" + PNG)
    _item(demo_copy, "images/own.jpg")
    write(
        demo_copy / "content_library" / "intro" / "builtin-pic.md",
        "---\nid: builtin-pic\nkind: intro\ntitle: b\nimage: images/intro-theme-cover.png\n"
        "---\n看图\n",
    )
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output
