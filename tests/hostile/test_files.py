"""Files the user did not name (issue #20, item 9): scan-frontend reads no file through a link out of the
scanned folder, and --report, --junit and --page-screenshot never write through a symbolic link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_process
from tests.support.servers import closed_port

WRONG_CHANNEL = "pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);\n"


def test_scan_frontend_does_not_follow_a_file_link_out_of_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "private.js"
    outside.parent.mkdir()
    outside.write_text(WRONG_CHANNEL)
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "guest.js").write_text("const answer = 42;\n")
    (tree / "also-guest.js").symlink_to("guest.js")  # inside the tree: read as usual
    (tree / "link.js").symlink_to(outside)
    done = run_process(["scan-frontend", "src", "--json"], tmp_path, timeout=60)
    document = json.loads(done.stdout)
    assert document["findings"] == [], document["findings"]
    assert document["files_scanned"] == 2
    [skipped] = [s for s in document["skipped"] if s["file"] == "link.js"]
    assert "outside the scanned folder" in skipped["reason"]


@pytest.mark.parametrize("option", ["--report", "--junit", "--page-screenshot"])
def test_an_output_file_that_is_a_symbolic_link_is_refused(tmp_path: Path, option: str) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / ("out.md" if option == "--report" else "out.png" if option == "--page-screenshot"
                       else "out.xml")
    link.symlink_to(target)
    extra = ["--page", "http://127.0.0.1:9/"] if option == "--page-screenshot" else []
    done = run_process(["check", "--hotel", "h", "--room", "1", "--app-id", "1", "--key", "k", "--secret", "s",
                        "--host", "127.0.0.1", "--port", str(closed_port()), "--scheme", "http", "--timeout", "2",
                        *extra, option, str(link)], tmp_path, timeout=60)
    assert done.exit_code == 2, done.output[-1500:]
    assert "is a symbolic link to a file; pusher-doctor does not write through one" in done.output
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("target", ["precious.md", "not-yet.md"], ids=["to-a-file", "to-nothing-yet"])
def test_watch_refuses_a_report_that_is_a_symbolic_link(tmp_path: Path, target: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    if target == "precious.md":
        (tmp_path / "elsewhere" / target).write_text("keep me\n")
    (tmp_path / "watch.md").symlink_to(tmp_path / "elsewhere" / target)
    done = run_process(["watch", "--channel", "c", "--key", "k", "--host", "127.0.0.1", "--port",
                        str(closed_port()), "--scheme", "http", "--duration", "0.5", "--report", "watch.md"],
                       tmp_path, timeout=60)
    assert done.exit_code == 2, done.output[-1500:]
    assert [p.name for p in (tmp_path / "elsewhere").iterdir()] == (["precious.md"] if target == "precious.md" else [])


def test_scan_frontend_lists_a_link_that_loops_as_unreadable_and_reads_the_rest(tmp_path: Path) -> None:
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "guest.js").write_text(WRONG_CHANNEL)
    (tree / "loop.js").symlink_to("loop.js")  # Python 3.11's resolve() raised RuntimeError for it: a traceback
    (tree / "a.js").symlink_to("b.js")
    (tree / "b.js").symlink_to("a.js")
    done = run_process(["scan-frontend", "src", "--json"], tmp_path, timeout=60)
    assert "Traceback" not in done.output
    document = json.loads(done.stdout)
    assert document["files_scanned"] == 1 and document["findings"], document
    skipped = {s["file"]: s["reason"] for s in document["skipped"]}
    assert set(skipped) == {"loop.js", "a.js", "b.js"}
    assert all("too many levels of symbolic links" in reason for reason in skipped.values()), skipped
