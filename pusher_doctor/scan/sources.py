"""Which files are scanned, and how each is read and parsed.

Grammars are loaded once per process. Every file is read once and parsed once; a file that cannot be
read, decoded or parsed becomes a :class:`~pusher_doctor.scan.model.SkippedFile`, never an exception.

``.vue`` files: everything outside ``<script>`` blocks is blanked to spaces (newlines kept) before
parsing, so tree-sitter's line/column positions are already positions in the ``.vue`` file and no
mapping is needed. Both ``<script>`` and ``<script setup>`` end up in one program.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

from pusher_doctor.deadline import NEVER, Deadline, TimeLimitExceeded
from pusher_doctor.scan.model import SkipKind, SkippedFile
from pusher_doctor.scan.tree import Ancestry

#: extension -> grammar. ``vue`` is resolved per file from ``<script lang="...">``.
LANGUAGE_BY_SUFFIX = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".vue": "vue",
}

#: directories never descended into: dependencies, build output, caches.
DEFAULT_SKIP_DIRS = frozenset({"node_modules", "dist", "build", ".next", "out", "coverage", ".git"})

#: folders nested deeper below the scanned one are not entered (reported as skipped): real projects
#: nest a few dozen levels at most, and the walk must stay bounded
MAX_FOLDER_DEPTH = 100
#: a line this long is not hand-written code: the file is treated as a minified bundle.
MAX_LINE_LENGTH = 2000
#: larger files are bundles or generated code; parsing them would dominate the scan time.
MAX_FILE_BYTES = 1_000_000
#: share of a file's code inside tree-sitter ERROR nodes above which the file is skipped. Below it,
#: tree-sitter's error recovery keeps the rest of the tree usable (a stray JSX typo should not hide a
#: wrong channel name 200 lines further down).
MAX_ERROR_SHARE = 0.2

# Found in two steps, not one `<script\b([^>]*)>(.*?)</script>` pattern: that pattern rescans the
# rest of the file from every unclosed `<script`, which is quadratic (100,000 of them took minutes).
_SCRIPT_OPEN = re.compile(rb"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(rb"</script\s*>", re.IGNORECASE)
_LANG_ATTR = re.compile(rb"""\blang\s*=\s*["']?([A-Za-z]+)""")
_SETUP_ATTR = re.compile(rb"(?<![\w-])setup(?![\w-])")
_NOT_NEWLINE = re.compile(rb"[^\n]")

_ERROR_QUERY_SOURCE = "(ERROR) @error"
#: smaller input is parsed without a progress callback: it cannot take long, and the callback costs
_WATCHED_PARSE_BYTES = 64 * 1024
#: grammars tried, in order, when a file's own grammar leaves too much of it in errors: the
#: TypeScript grammar misreads some generic calls (``await f<typeof import('x')>()``) that the TSX
#: one reads, and JSX or type annotations in a .js file are the other grammars' syntax
_FALLBACK_GRAMMARS = {
    "typescript": ("tsx", "javascript"),
    "tsx": ("typescript", "javascript"),
    "javascript": ("tsx",),
}
#: lines blanked, at most, to let the rest of a file parse when no grammar reads it all, and the
#: share of its code they may hold: beyond that the file is more broken than one misread construct
MAX_BLANKED_LINES = 8
MAX_BLANKED_SHARE = 0.5

#: characters other programs may show as line breaks inside what tree-sitter counts as one line
#: (old Mac "\r" endings, form feeds, U+2028/U+2029): shown as spaces so a quote stays on one line
_LINE_BREAKS_TO_SPACES = str.maketrans(dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", " "))


@functools.cache
def language(name: str) -> tree_sitter.Language:
    """The tree-sitter language for ``javascript``, ``typescript`` or ``tsx`` (loaded once)."""
    if name == "javascript":
        return tree_sitter.Language(tree_sitter_javascript.language())
    if name == "typescript":
        return tree_sitter.Language(tree_sitter_typescript.language_typescript())
    if name == "tsx":
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    raise ValueError(f"unknown language {name!r}")


@functools.cache
def _parser(name: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(language(name))


@functools.cache
def query(name: str, source: str) -> tree_sitter.Query:
    """A compiled query for ``language(name)``; cached because compiling costs more than running."""
    return tree_sitter.Query(language(name), source)


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file relative to the scanned root, 1-based line and column."""

    file: str
    line: int
    column: int
    code: str


@dataclass
class SourceFile:
    """One parsed file. ``parsed`` is what tree-sitter saw: for ``.vue`` files the non-script parts
    are blanked, so lines and columns in the tree are lines and columns of ``text``."""

    path: Path
    rel: str
    language: str
    text: str
    parsed: bytes
    tree: tree_sitter.Tree
    #: byte spans of ``<script setup>`` blocks (Vue): code there runs once per component instance
    setup_spans: tuple[tuple[int, int], ...] = ()

    @property
    def is_vue(self) -> bool:
        return self.path.suffix == ".vue"

    def in_script_setup(self, node: tree_sitter.Node) -> bool:
        """True when ``node`` lies in a ``<script setup>`` block."""
        return any(start <= node.start_byte < end for start, end in self.setup_spans)

    @functools.cached_property
    def ancestry(self) -> Ancestry:
        """Parents of the tree's nodes, for walking up from a node (built on first use)."""
        return Ancestry(self.tree.root_node)

    @functools.cached_property
    def _lines(self) -> list[str]:
        # "\n" only, as tree-sitter counts rows: str.splitlines also breaks at "\r", form feeds and
        # U+2028/U+2029, which put the quoted line out of step with the reported line number
        return self.text.split("\n")

    @functools.cached_property
    def _parsed_lines(self) -> list[bytes]:
        return self.parsed.split(b"\n")

    def location(self, node: tree_sitter.Node) -> Location:
        """1-based line/column of ``node`` (column counted in characters) and its stripped line."""
        row, byte_col = node.start_point
        parsed = self._parsed_lines[row] if row < len(self._parsed_lines) else b""
        return _place(self.rel, parsed, self._lines[row] if row < len(self._lines) else "", row, byte_col)


def _place(rel: str, parsed_line: bytes, line: str, row: int, byte_col: int) -> Location:
    """The location at a byte column of a line: the column counted in characters, the line quoted."""
    column = len(parsed_line[:byte_col].decode("utf-8", errors="replace")) + 1
    return Location(rel, row + 1, column, line.translate(_LINE_BREAKS_TO_SPACES).strip())


@dataclass(frozen=True, slots=True)
class PlacedNode:
    """What the rules read of a node once its tree is let go: its text and where it starts (row and byte
    column, as tree-sitter's ``start_point``)."""

    text: bytes | None
    start_point: tuple[int, int]


class SlimSource:
    """A parsed file whose tree was let go: what the rules still ask of a file with no Pusher code (its
    name, its kind) and its text, read again from disk only when asked (a finding's suppression). Kept small:
    most of a large tree's files end up as one."""

    __slots__ = ("_folder", "_path", "language", "rel")
    parsed = b""  # nothing left to search: the file's facts were all found already
    setup_spans: tuple[tuple[int, int], ...] = ()

    def __init__(self, path: Path | str, rel: str, language: str) -> None:
        path = os.fspath(path)
        self.rel = rel
        self.language = language
        # the folder its relative name starts from is the same for every file of the scan: kept once, shared
        if rel and path.endswith(rel):
            self._folder: str | None = sys.intern(path[: len(path) - len(rel)])
            self._path: str | None = None
        else:
            self._folder, self._path = None, path

    @property
    def path(self) -> Path:
        return Path(self._path if self._folder is None else self._folder + self.rel)

    @property
    def is_vue(self) -> bool:
        return self.rel.endswith(".vue")

    @property
    def text(self) -> str:
        try:
            return self.path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            return ""

    def location(self, node: PlacedNode) -> Location:
        """Where a node kept as :class:`PlacedNode` is, from the file read again (findings are few)."""
        row, byte_col = node.start_point
        lines = self.text.split("\n")  # as parsed: .vue blanking keeps every byte in its place
        line = lines[row] if row < len(lines) else ""
        return _place(self.rel, line.encode("utf-8"), line, row, byte_col)


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to the scanned root with posix separators (the file name when root is a file)."""
    return relative_names(root)(path)


def relative_names(root: Path) -> Callable[[Path | str], str]:
    """:func:`relative_name` for many paths under one root: whether the root is a folder is asked once."""
    base = os.fspath(root if root.is_dir() else root.parent)
    if os.sep == "/":
        return lambda path: os.path.relpath(path, base)
    return lambda path: Path(os.path.relpath(path, base)).as_posix()


def iter_candidate_files(
    root: Path, skip_dirs: frozenset[str], deadline: Deadline = NEVER
) -> Iterator[Path | SkippedFile]:
    """Source files under ``root`` in a stable order; unreadable or too deep folders come out as SkippedFile.

    The same order as a top-down ``os.walk`` with sorted names, but walked with a stack: ``os.walk``
    recurses and fails past about a thousand nested folders. Symbolic links to folders are not
    followed (a link loop would never end). The walk stops early once ``deadline`` has passed.
    """
    if root.is_file():
        yield root
        return
    inside = root.resolve()
    problems: list[SkippedFile] = []
    pending: list[tuple[Path, int]] = [(root, 0)]
    while pending and not deadline.passed():
        directory, depth = pending.pop()
        try:
            with os.scandir(directory) as scanned:
                entries = list(scanned)
        except OSError as error:
            reason = f"could not be read: {_os_reason(error)}"
            problems.append(SkippedFile(relative_name(directory, root) + "/", reason, SkipKind.UNREADABLE))
            continue
        for entry in sorted((entry for entry in entries if not _is_folder(entry)), key=lambda e: e.name):
            if Path(entry.name).suffix not in LANGUAGE_BY_SUFFIX:
                continue
            if entry.is_symlink() and not _resolves_inside(Path(entry.path), inside):
                # A link out of the scanned tree is not read: the scan reads only what it was pointed at.
                problems.append(SkippedFile(relative_name(Path(entry.path), root), "a symbolic link to a file "
                                            "outside the scanned folder: not followed", SkipKind.NOT_SOURCE))
                continue
            yield directory / entry.name
        folders = sorted(
            entry.name
            for entry in entries
            if _is_folder(entry) and entry.name not in skip_dirs and not entry.is_symlink()
        )
        if folders and depth >= MAX_FOLDER_DEPTH:
            problems.append(
                SkippedFile(
                    relative_name(directory, root) + "/",
                    f"more than {MAX_FOLDER_DEPTH} folders below the scanned one: "
                    "its subfolders were not entered",
                    SkipKind.TOO_DEEP,
                )
            )
            continue
        pending.extend((directory / name, depth + 1) for name in reversed(folders))
    yield from problems


def _resolves_inside(link: Path, inside: Path) -> bool:
    """Whether a link ends inside the scanned folder. A link that loops ends nowhere: it is kept, and reading
    it then says why it cannot be read, as for any unreadable file (Python 3.11's resolve() raises for it)."""
    try:
        return link.resolve().is_relative_to(inside)
    except (RuntimeError, OSError):
        return True


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def load(path: Path, rel: str, deadline: Deadline = NEVER) -> SourceFile | SkippedFile:
    """Read, decode and parse one file, or say why it was skipped.

    Raises :class:`TimeLimitExceeded` when parsing is still going at ``deadline``.
    """
    text = read_hand_written(path, rel)
    return text if isinstance(text, SkippedFile) else parse(path, rel, text, deadline)


def read_hand_written(path: Path, rel: str) -> str | SkippedFile:
    """The text :func:`load` parses, or why the file is skipped (a bundle, unreadable, not UTF-8...)."""
    if _is_minified_name(path.name):
        return SkippedFile(rel, "minified bundle (*.min.* file)", SkipKind.GENERATED)
    text = read_source(path, rel)
    if isinstance(text, SkippedFile):
        return text
    long_line = _first_long_line(text)
    if long_line:
        reason = f"minified bundle (line {long_line} is over {MAX_LINE_LENGTH} characters)"
        return SkippedFile(rel, reason, SkipKind.GENERATED)
    return text


def read_source(path: Path, rel: str) -> str | SkippedFile:
    """The text of a regular, hand-written-sized, UTF-8 file without NUL bytes; else why it is not read (the
    frontend's and the backend's scans alike)."""
    try:
        info = path.stat()
        # A FIFO or a link to /dev/zero named *.js would block or never end: read regular files only,
        # and look at the size before reading.
        if not stat.S_ISREG(info.st_mode):
            return SkippedFile(rel, "not a regular file", SkipKind.NOT_SOURCE)
        if info.st_size > MAX_FILE_BYTES:
            reason = f"too large to be hand-written code ({info.st_size:,} bytes)"
            return SkippedFile(rel, reason, SkipKind.GENERATED)
        data = path.read_bytes()
    except OSError as error:
        return SkippedFile(rel, f"could not be read: {_os_reason(error)}", SkipKind.UNREADABLE)
    if b"\0" in data:
        return SkippedFile(rel, "binary content (contains NUL bytes)", SkipKind.NOT_SOURCE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return SkippedFile(rel, "not UTF-8", SkipKind.NOT_UTF8)


def parse(path: Path, rel: str, text: str, deadline: Deadline = NEVER) -> SourceFile | SkippedFile:
    """``text`` (read from ``path``) parsed, or why it is skipped (no ``<script>``, too many parse errors)."""
    encoded = text.encode("utf-8")
    lang = LANGUAGE_BY_SUFFIX[path.suffix]
    setup_spans: tuple[tuple[int, int], ...] = ()
    if lang == "vue":
        lang, encoded, setup_spans = _vue_script(encoded)
        if lang is None:
            return SkippedFile(rel, "no <script> block", SkipKind.NOT_SOURCE)
    tree = _parse_within(_parser(lang), encoded, deadline)
    share = _error_share(tree, encoded, lang)
    if share > MAX_ERROR_SHARE:
        lang, tree, share = _other_grammar(encoded, lang, tree, share, deadline)
    if share > MAX_ERROR_SHARE:
        blanked = _without_error_lines(encoded, lang, tree, deadline)
        if blanked is None:
            reason = f"parse errors ({share:.0%} of the code could not be parsed)"
            return SkippedFile(rel, reason, SkipKind.UNPARSABLE)
        encoded, tree = blanked
    return SourceFile(path, rel, lang, text, encoded, tree, setup_spans)


def _other_grammar(
    data: bytes, lang: str, tree: tree_sitter.Tree, share: float, deadline: Deadline
) -> tuple[str, tree_sitter.Tree, float]:
    """The grammar (own or fallback) that leaves the least of ``data`` in errors, its tree and that share."""
    for other in _FALLBACK_GRAMMARS.get(lang, ()):
        other_tree = _parse_within(_parser(other), data, deadline)
        other_share = _error_share(other_tree, data, other)
        if other_share < share:
            lang, tree, share = other, other_tree, other_share
        if share <= MAX_ERROR_SHARE:
            break
    return lang, tree, share


def _without_error_lines(
    data: bytes, lang: str, tree: tree_sitter.Tree, deadline: Deadline
) -> tuple[bytes, tree_sitter.Tree] | None:
    """Scan the parts that parse: blank the line where the first error starts (one misread construct
    can throw the parser off for the rest of the file) and parse again, a few lines at most.

    Lines keep their place, so positions stay those of the file. None when that is not enough, or
    would leave out more than :data:`MAX_BLANKED_SHARE` of the code.
    """
    budget = MAX_BLANKED_SHARE * len(b"".join(data.split()))
    for _ in range(MAX_BLANKED_LINES):
        first = _first_error(tree, lang)
        if first is None:
            return None
        row = first.start_point[0]
        lines = data.split(b"\n")
        budget -= len(b"".join(lines[row].split()))
        if budget < 0:
            return None
        lines[row] = _NOT_NEWLINE.sub(b" ", lines[row])
        data = b"\n".join(lines)
        tree = _parse_within(_parser(lang), data, deadline)
        if _error_share(tree, data, lang) <= MAX_ERROR_SHARE:
            return data, tree
    return None


def _first_error(tree: tree_sitter.Tree, lang: str) -> tree_sitter.Node | None:
    found = tree_sitter.QueryCursor(query(lang, _ERROR_QUERY_SOURCE)).captures(tree.root_node).get("error", [])
    return min(found, key=lambda node: node.start_byte, default=None)


def _parse_within(parser: tree_sitter.Parser, data: bytes, deadline: Deadline) -> tree_sitter.Tree:
    """Parse, letting tree-sitter stop at ``deadline`` on large input (a garbled 1 MB file takes seconds)."""
    if len(data) < _WATCHED_PARSE_BYTES:
        return parser.parse(data)
    view = memoryview(data)
    try:
        watched = parser.parse(
            lambda offset, _: view[offset:], progress_callback=lambda *_: deadline.passed()
        )
    except ValueError:  # what py-tree-sitter raises when the callback stops the parse
        parser.reset()  # or the next parse with this parser would resume this one
        if deadline.passed():
            raise TimeLimitExceeded from None
        raise
    # A tree parsed from a callback has no source attached, and Node.text on it crashes the process
    # (py-tree-sitter 0.26). Parsing the bytes again with that tree as the old one reuses all of it.
    return parser.parse(data, old_tree=watched)


def _vue_script(data: bytes) -> tuple[str | None, bytes, tuple[tuple[int, int], ...]]:
    """Blank everything but the ``<script>`` contents; return (grammar, blanked bytes, setup blocks' spans)."""
    blocks = list(_script_blocks(data))
    if not blocks:
        return None, data, ()
    out: list[bytes] = []
    lang = "javascript"
    position = 0
    setup: list[tuple[int, int]] = []
    for attrs, start, end in blocks:
        lang_attr = _LANG_ATTR.search(attrs)
        if lang_attr:
            lang = {b"ts": "typescript", b"tsx": "tsx"}.get(lang_attr.group(1).lower(), lang)
        if _SETUP_ATTR.search(attrs):
            setup.append((start, end))
        out.append(_NOT_NEWLINE.sub(b" ", data[position:start]))
        out.append(data[start:end])
        position = end
    out.append(_NOT_NEWLINE.sub(b" ", data[position:]))
    return lang, b"".join(out), tuple(setup)


def _script_blocks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """``(attributes, start, end)`` of each ``<script ...>...</script>`` block's contents, in one pass."""
    position = 0
    while True:
        opening = _SCRIPT_OPEN.search(data, position)
        if opening is None:
            return
        tag_end = data.find(b">", opening.end())
        if tag_end < 0:
            return  # no '>' anywhere after it: no later tag can be complete either
        closing = _SCRIPT_CLOSE.search(data, tag_end + 1)
        if closing is None:
            return  # unclosed: nothing after it can close either
        yield data[opening.end() : tag_end], tag_end + 1, closing.start()
        position = closing.end()


def _error_share(tree: tree_sitter.Tree, data: bytes, lang: str) -> float:
    """Share of non-blank bytes that lie inside ERROR nodes (0.0 for a clean tree)."""
    root = tree.root_node
    if not root.has_error:
        return 0.0
    spans = sorted(
        (node.start_byte, node.end_byte)
        for node in tree_sitter.QueryCursor(query(lang, _ERROR_QUERY_SOURCE)).captures(root).get("error", [])
    )
    covered = 0
    reach = 0
    for start, end in spans:  # error nodes nest; count each byte once
        start = max(start, reach)
        if end > start:
            covered += len(b"".join(data[start:end].split()))
            reach = end
    total = len(b"".join(data.split())) or 1
    # a tree with has_error but no ERROR node only has MISSING tokens: mostly fine
    return covered / total


def _first_long_line(text: str) -> int:
    if len(text) <= MAX_LINE_LENGTH:
        return 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_LENGTH:
            return number
    return 0


def _is_minified_name(name: str) -> bool:
    stem, _, _ = name.rpartition(".")
    return stem.endswith((".min", "-min"))


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
