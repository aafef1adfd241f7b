"""Which files are scanned or skipped, and why: built in a temporary tree for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.scan import ScanInputError, SkippedFile, scan_frontend, sources
from pusher_doctor.scan.model import SkipKind
from tests.scan.support import positions

WRONG_SUBSCRIBE = "export const c = pusher.subscribe(`${hotel}-rooms-${room}-chat`);\n"


def _write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_dependency_and_build_directories_are_not_entered(tmp_path: Path):
    for directory in ("node_modules/pkg", "dist", "build", ".next", "out", "coverage", ".git"):
        _write(tmp_path, f"{directory}/index.js", WRONG_SUBSCRIBE)
    _write(tmp_path, "src/app.js", WRONG_SUBSCRIBE)
    report = scan_frontend(tmp_path)
    assert report.files_scanned == 1
    assert positions(report) == [("wrong-channel", "src/app.js", 1, 35)]
    assert report.skipped == ()


def test_skip_dirs_can_be_changed(tmp_path: Path):
    _write(tmp_path, "node_modules/pkg/index.js", WRONG_SUBSCRIBE)
    report = scan_frontend(tmp_path, skip_dirs=frozenset())
    assert positions(report) == [("wrong-channel", "node_modules/pkg/index.js", 1, 35)]


def test_minified_bundles_are_skipped_with_a_reason(tmp_path: Path):
    _write(tmp_path, "vendor.min.js", WRONG_SUBSCRIBE)
    _write(tmp_path, "bundle.js", "var a=1;" * 400 + "\n" + WRONG_SUBSCRIBE)
    report = scan_frontend(tmp_path)
    assert report.files_scanned == 0
    assert report.findings == ()
    assert report.skipped == (
        SkippedFile("bundle.js", "minified bundle (line 1 is over 2000 characters)", SkipKind.GENERATED),
        SkippedFile("vendor.min.js", "minified bundle (*.min.* file)", SkipKind.GENERATED),
    )


def test_binary_and_non_utf8_files_are_skipped(tmp_path: Path):
    _write(tmp_path, "image.js", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path, "latin1.js", "const s = 'caf\u00e9';\n".encode("latin-1"))
    report = scan_frontend(tmp_path)
    assert report.files_scanned == 0
    assert report.skipped == (
        SkippedFile("image.js", "binary content (contains NUL bytes)", SkipKind.NOT_SOURCE),
        SkippedFile("latin1.js", "not UTF-8", SkipKind.NOT_UTF8),
    )


def test_unreadable_file_is_skipped_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    locked = _write(tmp_path, "locked.js", WRONG_SUBSCRIBE)
    _write(tmp_path, "open.js", WRONG_SUBSCRIBE)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = scan_frontend(tmp_path)
    assert report.skipped == (
        SkippedFile("locked.js", "could not be read: permission denied", SkipKind.UNREADABLE),
    )
    assert positions(report) == [("wrong-channel", "open.js", 1, 35)]


def test_dangling_symlink_is_skipped(tmp_path: Path):
    (tmp_path / "gone.js").symlink_to(tmp_path / "does-not-exist.js")
    report = scan_frontend(tmp_path)
    assert report.skipped == (
        SkippedFile("gone.js", "could not be read: no such file or directory", SkipKind.UNREADABLE),
    )


def test_vue_without_script_is_skipped(tmp_path: Path):
    _write(tmp_path, "Static.vue", "<template><p>hi</p></template>\n")
    report = scan_frontend(tmp_path)
    assert report.skipped == (SkippedFile("Static.vue", "no <script> block", SkipKind.NOT_SOURCE),)


def test_other_extensions_are_ignored_and_single_file_must_be_code(tmp_path: Path):
    _write(tmp_path, "notes.txt", WRONG_SUBSCRIBE)
    _write(tmp_path, "styles.css", "a { color: red }")
    with pytest.raises(ScanInputError, match="no JavaScript, TypeScript or Vue files"):
        scan_frontend(tmp_path)
    with pytest.raises(ScanInputError, match="not a JavaScript"):
        scan_frontend(tmp_path / "notes.txt")


def test_columns_count_characters_not_bytes(tmp_path: Path):
    _write(tmp_path, "intl.js", "/* \u00e9\u00e9 */ pusher.subscribe(`${h}-rooms-${r}-chat`);\n")
    report = scan_frontend(tmp_path, contract="hotel")
    assert positions(report) == [("wrong-channel", "intl.js", 1, 27)]


def test_vue_line_numbers_follow_the_template(tmp_path: Path):
    template = "<template>\n" + "  <p>\u00e9t\u00e9</p>\n" * 5 + "</template>\n"
    _write(tmp_path, "Chat.vue", template + "<script>\n" + WRONG_SUBSCRIBE + "</script>\n")
    report = scan_frontend(tmp_path)
    assert positions(report) == [("wrong-channel", "Chat.vue", 9, 35)]
    assert report.findings[0].code == WRONG_SUBSCRIBE.strip()


def test_grammar_per_extension():
    assert sources.LANGUAGE_BY_SUFFIX[".ts"] == "typescript"
    assert sources.LANGUAGE_BY_SUFFIX[".tsx"] == "tsx"
    assert sources.LANGUAGE_BY_SUFFIX[".mjs"] == "javascript"
    # the TypeScript grammar would read `<T>x` as a type assertion, so .tsx must use the TSX grammar
    tsx = sources.load(Path(__file__).parent / "fixtures/wrong/src/GuestChat.tsx", "GuestChat.tsx")
    assert isinstance(tsx, sources.SourceFile)
    assert tsx.language == "tsx"
    assert not tsx.tree.root_node.has_error


def test_vue_lang_ts_uses_typescript():
    vue = sources.load(Path(__file__).parent / "fixtures/wrong/src/GuestSetup.vue", "GuestSetup.vue")
    assert isinstance(vue, sources.SourceFile)
    assert vue.language == "typescript"
    assert not vue.tree.root_node.has_error


def test_react_namespace_hooks_are_recognised(tmp_path: Path):
    _write(
        tmp_path,
        "Chat.jsx",
        """import React from 'react';
export function Chat({ pusher, hotel, room }) {
  const [messages, setMessages] = React.useState([]);
  React.useEffect(() => {
    pusher.subscribe(`${hotel}-room-${room}-chat`).bind('new-staff-message', (m) => setMessages([...messages, m]));
  }, []);
  React.useEffect(() => {
    pusher.subscribe(`${hotel}-room-${room}-chat`).bind('new-staff-message', (m) => setMessages((p) => [...p, m]));
  });
  return messages.length;
}
""",
    )
    report = scan_frontend(tmp_path)
    assert positions(report) == [
        ("mount-without-teardown", "Chat.jsx", 4, 3),
        ("stale-state", "Chat.jsx", 5, 85),
        ("early-unsubscribe", "Chat.jsx", 7, 3),
    ]
    assert "React.useEffect subscribes or binds (deps [])" in report.findings[0].message
    assert "binds the handler again each time" in report.findings[2].message


MISREAD = "const mod = await load<typeof import('pusher-js')>();\n"


def test_a_construct_one_grammar_misreads_does_not_hide_the_file(tmp_path: Path, monkeypatch):
    # tree-sitter-typescript misreads `await f<typeof import('x')>()` in every grammar; with the
    # threshold low enough for that to count, the line is left out and the rest is still analysed
    monkeypatch.setattr(sources, "MAX_ERROR_SHARE", 0.01)
    _write(tmp_path, "chat.ts", MISREAD + "pusher.subscribe(`${hotelSlug}-rooms-${room}-chat`);\n")
    report = scan_frontend(tmp_path, contract="hotel")
    assert report.skipped == ()
    assert positions(report) == [("wrong-channel", "chat.ts", 2, 18)]


def test_a_misnamed_file_is_read_with_the_grammar_that_parses_it(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ERROR_SHARE", 0.01)
    _write(tmp_path, "Chat.ts", "export const Chat = () => <p>{pusher.subscribe(`${hotelSlug}-rooms-${r}-chat`).name}</p>;\n")
    loaded = sources.load(tmp_path / "Chat.ts", "Chat.ts")
    assert isinstance(loaded, sources.SourceFile) and loaded.language == "tsx"
    assert not loaded.tree.root_node.has_error


def test_a_mostly_broken_file_is_still_skipped_not_blanked_away(tmp_path: Path):
    _write(tmp_path, "broken.ts", "} ) ] => => ;;; {{{ %%% @@@\n" * 3 + MISREAD)
    loaded = sources.load(tmp_path / "broken.ts", "broken.ts")
    assert isinstance(loaded, SkippedFile) and loaded.kind is SkipKind.UNPARSABLE
