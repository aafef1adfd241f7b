"""Hostile or odd input: the scan stays bounded in time and depth, and says what it could not read."""

from __future__ import annotations

import inspect
import os
import random
import time
from pathlib import Path

import pytest

from benchmarks.frontend_tree import write_tree
from pusher_doctor.scan import facts as facts_module
from pusher_doctor.scan import sources
from pusher_doctor.scan.engine import scan_frontend
from pusher_doctor.scan.model import ScanInputError, SkipKind, SkippedFile
from tests.scan.support import positions

WRONG_SUBSCRIBE = "pusher.subscribe(`${hotel}-rooms-${room}-chat`);\n"


def _timed_scan(root: Path, **kwargs):
    started = time.monotonic()
    report = scan_frontend(root, **kwargs)
    return report, time.monotonic() - started


def test_many_unclosed_script_tags_are_read_in_linear_time(tmp_path: Path):
    # the old single-regex extraction rescanned the rest of the file from each unclosed tag: minutes
    (tmp_path / "Unclosed.vue").write_text("<script>\n" * 100_000)
    (tmp_path / "NoBracket.vue").write_text("<script\n" * 100_000)
    report, elapsed = _timed_scan(tmp_path)
    assert report.skipped == (
        SkippedFile("NoBracket.vue", "no <script> block", SkipKind.NOT_SOURCE),
        SkippedFile("Unclosed.vue", "no <script> block", SkipKind.NOT_SOURCE),
    )
    assert elapsed < 2


def test_a_closed_block_after_stray_closing_tags_is_still_found(tmp_path: Path):
    vue = "</script>\n<template/>\n<script setup>\n" + WRONG_SUBSCRIBE + "</script>\n"
    (tmp_path / "Chat.vue").write_text(vue)
    report = scan_frontend(tmp_path)
    # the subscribe in <script setup> is never torn down, too
    assert positions(report) == [("mount-without-teardown", "Chat.vue", 4, 1), ("wrong-channel", "Chat.vue", 4, 18)]


def test_five_thousand_nested_functions_scan_in_about_a_second(tmp_path: Path):
    # tree-sitter's Node.parent searches from the root each time: climbing from the innermost of
    # 5,000 nested functions used to take minutes
    depth = 5000
    params = "".join(f"  (a{i}) =>\n" for i in range(depth))
    (tmp_path / "nested.js").write_text("export const f =\n" + params + "  " + WRONG_SUBSCRIBE)
    report, elapsed = _timed_scan(tmp_path)
    assert positions(report) == [("wrong-channel", "nested.js", depth + 2, 20)]
    assert elapsed < 3


def test_deep_expression_nesting_neither_crashes_nor_crawls(tmp_path: Path):
    depth = 50_000
    code = "export const x =\n" + "[\n" * depth + WRONG_SUBSCRIBE + "]\n" * depth
    (tmp_path / "arrays.js").write_text(code)
    report, elapsed = _timed_scan(tmp_path)
    assert positions(report) == [("wrong-channel", "arrays.js", depth + 2, 18)]
    assert elapsed < 3


def test_deeply_nested_vue_methods_objects_do_not_overflow_the_stack(tmp_path: Path):
    depth = 3000  # past Python's recursion limit
    methods = "methods: {\n" * depth + "onMessage() { pusher.unsubscribe(name); },\n" + "},\n" * depth
    (tmp_path / "Chat.vue").write_text(
        "<script>\nexport default {\n  mounted() {\n"
        "    this.channel = pusher.subscribe(name);\n"
        "    this.channel.bind('new-staff-message', this.onMessage);\n  },\n"
        + methods + "};\n</script>\n"
    )
    report = scan_frontend(tmp_path)
    assert report.skipped == ()
    assert [(f.rule, f.line) for f in report.findings] == [("early-unsubscribe", depth + 7)]
    assert "inside the Pusher event handler" in report.findings[0].message


def test_thousands_of_effects_in_one_component_are_linked_in_near_linear_time(tmp_path: Path):
    # each effect used to be compared with every subscription, bind and teardown of the file
    count = 7000
    effect = (
        "  useEffect(() => { channel.bind('new-staff-message', f); "
        "return () => channel.unbind('new-staff-message', f); }, [a]);\n"
    )
    (tmp_path / "Chat.jsx").write_text("export function Chat({ a, channel, f }) {\n" + effect * count + "}\n")
    # the bound is on the whole scan: this one file of 7,000 effects takes about as long as the default
    # per-file limit on a busy machine, and skipping it would test nothing
    report, elapsed = _timed_scan(tmp_path, file_time_limit=6)
    assert report.skipped == () and report.findings == ()
    assert elapsed < 6


def _nested_folders(root: Path, depth: int) -> Path:
    # one mkdir at a time: os.makedirs itself recurses and fails at this depth
    folder = root
    for _ in range(depth):
        folder = folder / "d"
        folder.mkdir()
    return folder


def _remove_nested_folders(root: Path) -> None:
    # bottom up, without recursion: shutil.rmtree (and so pytest's own clean-up) recurses too
    folders = [root / "d"]
    while (folders[-1] / "d").is_dir():
        folders.append(folders[-1] / "d")
    for folder in reversed(folders):
        for path in folder.iterdir():
            if not path.is_dir():
                path.unlink()
        folder.rmdir()


@pytest.fixture
def deep_tree(tmp_path: Path):
    yield tmp_path
    _remove_nested_folders(tmp_path)


def test_folders_nested_past_the_limit_are_reported_not_walked_recursively(deep_tree: Path):
    # os.walk recursed and raised RecursionError past about a thousand nested folders
    (_nested_folders(deep_tree, 1500) / "deep.js").write_text(WRONG_SUBSCRIBE)
    shallow = deep_tree / "d" / "d" / "shallow.js"
    shallow.write_text(WRONG_SUBSCRIBE)
    report, elapsed = _timed_scan(deep_tree)
    assert positions(report) == [("wrong-channel", "d/d/shallow.js", 1, 18)]
    limit_folder = "d/" * sources.MAX_FOLDER_DEPTH
    assert [(s.file, s.reason.split(":")[0]) for s in report.skipped] == [
        (limit_folder, f"more than {sources.MAX_FOLDER_DEPTH} folders below the scanned one")
    ]
    assert elapsed < 5


def test_a_symlink_loop_is_not_followed(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.js").write_text(WRONG_SUBSCRIBE)
    (tmp_path / "src" / "loop").symlink_to(tmp_path)
    report = scan_frontend(tmp_path)
    assert positions(report) == [("wrong-channel", "src/app.js", 1, 18)]
    assert report.skipped == ()


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_root_that_is_neither_folder_nor_regular_file_is_an_input_error(tmp_path: Path, kind: str):
    if kind == "fifo":
        root = tmp_path / "pipe.js"
        os.mkfifo(root)
    else:
        root = tmp_path / "stdin.js"
        root.symlink_to("/dev/null")  # a character device, like /dev/stdin on a terminal
    with pytest.raises(ScanInputError, match="neither a folder nor a regular file"):
        scan_frontend(root)


@pytest.mark.parametrize(
    ("before", "line", "column", "code"),
    [
        ("const a = 1;\x0c\n", 2, 18, WRONG_SUBSCRIBE.strip()),
        ("const a = 1;\x0cconst b = 2;\n", 2, 18, WRONG_SUBSCRIBE.strip()),
        ("const a = '\u2028';\n", 2, 18, WRONG_SUBSCRIBE.strip()),
        ("// note\u2029 more\n", 2, 18, WRONG_SUBSCRIBE.strip()),
        ("const a = 1;\r\n", 2, 18, WRONG_SUBSCRIBE.strip()),
        # old-Mac endings: tree-sitter sees one line, and so does the report
        ("const a = 1;\r", 1, 31, "const a = 1; " + WRONG_SUBSCRIBE.strip()),
        ("const \u00e9 = 1;\x0c", 1, 31, "const \u00e9 = 1; " + WRONG_SUBSCRIBE.strip()),
    ],
    ids=[
        "form-feed-at-end",
        "form-feed-inside",
        "U+2028-in-string",
        "U+2029-in-comment",
        "crlf",
        "cr",
        "form-feed-only-with-accent",
    ],
)
def test_line_column_and_quote_agree_whatever_the_line_breaks(
    tmp_path: Path, before: str, line: int, column: int, code: str
):
    (tmp_path / "a.js").write_bytes((before + WRONG_SUBSCRIBE).encode())
    (finding,) = scan_frontend(tmp_path).findings
    assert (finding.line, finding.column, finding.code) == (line, column, code)


def test_skips_that_may_hide_findings_are_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "broken.js").write_text("function ( { ) ] => => }}} " * 5 + WRONG_SUBSCRIBE)
    (tmp_path / "latin1.js").write_bytes("const s = 'caf\u00e9';\n".encode("latin-1"))
    (tmp_path / "vendor.min.js").write_text(WRONG_SUBSCRIBE)
    (tmp_path / "Static.vue").write_text("<template><p>hi</p></template>\n")
    (tmp_path / "crash.js").write_text(WRONG_SUBSCRIBE)
    real_read = facts_module.read_facts

    def read_facts(src, *args):
        if src.rel == "crash.js":
            raise ValueError("boom")
        return real_read(src, *args)

    monkeypatch.setattr(facts_module, "read_facts", read_facts)
    report = scan_frontend(tmp_path)
    assert [(s.file, s.kind, s.hides_findings) for s in report.skipped] == [
        ("Static.vue", SkipKind.NOT_SOURCE, False),
        ("broken.js", SkipKind.UNPARSABLE, True),
        ("crash.js", SkipKind.ANALYSIS_FAILED, True),
        ("latin1.js", SkipKind.NOT_UTF8, True),
        ("vendor.min.js", SkipKind.GENERATED, False),
    ]
    assert "could not be analysed: ValueError: boom" in report.skipped[2].reason


def test_every_skip_kind_says_whether_it_may_hide_findings():
    hiding = {kind for kind in SkipKind if kind.hides_findings}
    assert hiding == set(SkipKind) - {SkipKind.GENERATED, SkipKind.NOT_SOURCE}


def _garbled(size: int) -> str:
    # tree-sitter's error recovery makes this slow to parse: seconds for a megabyte
    rng = random.Random(0)
    return "".join(rng.choice("{}()[];,=>+-*/`'\"\\ \nabc12") for _ in range(size))


def test_a_file_over_its_time_limit_is_skipped_promptly_with_the_reason(tmp_path: Path):
    (tmp_path / "garbled.js").write_text(_garbled(900_000))
    (tmp_path / "app.js").write_text(WRONG_SUBSCRIBE)
    report, elapsed = _timed_scan(tmp_path, file_time_limit=0.05)
    assert positions(report) == [("wrong-channel", "app.js", 1, 18)]
    assert report.skipped == (
        SkippedFile("garbled.js", "took longer than the 0.05 s allowed for one file", SkipKind.TIME_LIMIT),
    )
    assert report.skipped[0].hides_findings
    assert report.incomplete is None
    assert elapsed < 1.5  # the parse is stopped, not waited for (it takes seconds)


def test_a_slow_analysis_is_stopped_too_not_only_a_slow_parse(tmp_path: Path):
    effect = "  useEffect(() => { channel.bind('new-message', f); return () => channel.unbind(); }, [a]);\n"
    (tmp_path / "Chat.jsx").write_text("export function Chat({ a, channel, f }) {\n" + effect * 8000 + "}\n")
    report, elapsed = _timed_scan(tmp_path, file_time_limit=0.3)
    assert [(s.file, s.kind) for s in report.skipped] == [("Chat.jsx", SkipKind.TIME_LIMIT)]
    assert elapsed < 1.5


def test_large_files_parsed_under_watch_are_analysed_like_small_ones(tmp_path: Path):
    # large input is parsed with a progress callback; the tree must still carry its source text
    (tmp_path / "big.js").write_text("// padding\n" * 8000 + WRONG_SUBSCRIBE)
    report = scan_frontend(tmp_path)
    assert positions(report) == [("wrong-channel", "big.js", 8001, 18)]
    assert report.findings[0].code == WRONG_SUBSCRIBE.strip()


def test_the_overall_time_limit_stops_the_walk_and_says_so(tmp_path: Path):
    for n in range(300):
        (tmp_path / f"m{n:03}.js").write_text(WRONG_SUBSCRIBE)
    report, elapsed = _timed_scan(tmp_path, time_limit=0)
    assert report.files_scanned == 0 and report.findings == ()
    assert report.incomplete == (
        "stopped after 0 s (the scan's time limit): "
        "0 file(s) were analysed, the rest of the tree was not read"
    )
    assert elapsed < 1


def test_the_overall_time_limit_keeps_what_was_found_before_it(tmp_path: Path):
    write_tree(tmp_path, 2000)  # takes about a second to scan in full
    report = scan_frontend(tmp_path, time_limit=0.3)
    assert 0 < report.files_scanned < 2000
    assert report.findings
    assert report.incomplete is not None and "the rest of the tree was not read" in report.incomplete


def test_time_limits_have_defaults():
    defaults = inspect.signature(scan_frontend).parameters
    assert defaults["file_time_limit"].default == 2.0
    assert defaults["time_limit"].default == 60.0
