"""Files with no Pusher code are kept without their tree, and what other files ask of them still works."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from benchmarks.frontend_tree import write_app_tree, write_tree
from pusher_doctor.deadline import Deadline
from pusher_doctor.scan import ScanReport, scan_frontend, sources
from pusher_doctor.scan.engine import _Envs, _read_files
from pusher_doctor.scan.facts import FileFacts, SlimFacts, extract, packed, slimmed, unpacked
from pusher_doctor.scan.sources import DEFAULT_SKIP_DIRS, SlimSource
from tests.scan.support import BACKEND, FIXTURES
from tests.scan.test_light_read import CASES, _source_files

HOOK = """import { useEffect } from 'react';
import { pusher } from './pusher';
export function useChannelEvent(channelName, eventName, handler) {
  useEffect(() => {
    const channel = pusher.subscribe(channelName);
    channel.bind(eventName, handler);
    return () => channel.unbind(eventName, handler);
  }, [channelName, eventName]);
}
"""
#: no Pusher code of its own: only a call of the app's hook, with a stale state update
PAGE = """import { useState } from 'react';
import { useChannelEvent } from './useChannelEvent';
export function Orders() {
  const [orders, setOrders] = useState([]);
  useChannelEvent('orders', 'created', (order) => setOrders([...orders, order]));
  return orders.length;
}
"""


def _write(root: Path) -> None:
    (root / "pusher.js").write_text("import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n")
    (root / "useChannelEvent.js").write_text(HOOK)
    (root / "Orders.jsx").write_text(PAGE)
    (root / "format.js").write_text("export const money = (n) => n.toFixed(2);\n")


def test_files_without_pusher_code_are_kept_without_their_tree(tmp_path: Path):
    _write(tmp_path)
    read = _read_files(tmp_path, _Envs(tmp_path, None), DEFAULT_SKIP_DIRS, 2.0, Deadline.after(60))
    slim = {facts.src.rel for facts in read.parsed if facts.slim}
    assert slim == {"Orders.jsx", "format.js"}
    assert all(isinstance(facts.src, SlimSource) and facts.resolver is None for facts in read.parsed if facts.slim)


def test_a_hook_called_from_a_file_kept_without_its_tree_is_still_followed(tmp_path: Path):
    _write(tmp_path)
    report = scan_frontend(tmp_path)
    assert [(f.rule, f.file, f.line) for f in report.findings] == [("stale-state", "Orders.jsx", 5)]


def test_a_comment_in_such_a_file_still_silences(tmp_path: Path):
    _write(tmp_path)
    page = PAGE.replace("  useChannelEvent(", "  // pusher-doctor-ignore stale-state -- a demo\n  useChannelEvent(")
    (tmp_path / "Orders.jsx").write_text(page)
    report = scan_frontend(tmp_path)
    assert report.findings == () and report.suppressed == 1


def _asked_of(facts: FileFacts) -> tuple:
    """What the rules ask of a file with no Pusher code, comparable between its whole and its slim facts."""
    called = facts.called if facts.slim else set(facts.calls_by_name)
    return (
        facts.src.rel,
        facts.src.language,
        facts.src.is_vue,
        facts.src.path,
        facts.package,
        facts.staff,
        [(found.source, tuple(found.node.start_point)) for found in facts.imports],
        [(name, node.text, tuple(node.start_point)) for name, node in facts.env_reads],
        facts.use_client,
        facts.use_server,
        facts.shell,
        called,
        [list(getattr(facts, name)) for name in ("clients", "servers", "subscriptions", "binds", "triggers")],
    )


@pytest.mark.parametrize("write", [write_app_tree, write_tree, None])
def test_slim_facts_hold_what_the_whole_facts_held_and_nothing_else(tmp_path: Path, write):
    # the compact form (slots, flat tuples, shared values), and the plain values the helper process sends
    if write is None:
        for name, code in CASES.items():
            (tmp_path / name).write_text(code)
        root = tmp_path
        paths = [*_source_files(tmp_path), *_source_files(FIXTURES)]
    else:
        write(tmp_path, 120)
        root, paths = tmp_path, _source_files(tmp_path)
    slim = 0
    for path in paths:
        rel = sources.relative_name(path, root if path.is_relative_to(root) else FIXTURES)
        loaded = sources.load(path, rel)
        if not isinstance(loaded, sources.SourceFile):
            continue
        whole = extract(loaded, {"VITE_KEY": "k"}, package="app")
        kept = slimmed(extract(loaded, {"VITE_KEY": "k"}, package="app"))
        if not kept.slim:
            continue
        slim += 1
        assert isinstance(kept, SlimFacts) and vars(kept) == {}, path  # nothing kept outside its slots
        assert _asked_of(kept) == _asked_of(whole), path
        sent = unpacked(pickle.loads(pickle.dumps(packed(kept))))
        assert _asked_of(sent) == _asked_of(whole), path
    assert slim > 10


def _kept_whole(monkeypatch: pytest.MonkeyPatch, root: Path) -> ScanReport:
    """The report with every file kept whole, its tree and all (what the slim facts replace), in one process."""
    from pusher_doctor.scan import engine

    with monkeypatch.context() as patched:
        patched.setattr(engine.facts_module, "read_facts", extract)
        return scan_frontend(root, backend_settings=BACKEND, jobs=1)


@pytest.mark.parametrize(("write", "count"), [(write_app_tree, 480), (write_tree, 420)])
def test_a_tree_gets_the_same_report_as_with_every_file_kept_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write, count: int
):
    write(tmp_path, count)
    (tmp_path / "src").mkdir(exist_ok=True)
    for name, code in CASES.items():
        (tmp_path / "src" / name).write_text(code)
    slim = scan_frontend(tmp_path, backend_settings=BACKEND)  # with the helper process: 400 files or more
    assert slim.findings and slim == _kept_whole(monkeypatch, tmp_path)


def _lookups_kept(monkeypatch: pytest.MonkeyPatch, root: Path) -> ScanReport:
    """The report with each file's lookups (scopes, patterns, parents) kept from its reading to the end."""
    from pusher_doctor.scan import engine, project

    with monkeypatch.context() as patched:
        patched.setattr(engine.facts_module, "forget_lookups", lambda facts: None)
        patched.setattr(project.Project, "forget_lookups", lambda self: None)
        return scan_frontend(root, backend_settings=BACKEND)


@pytest.mark.parametrize("tree", ["projects", "wrong", "correct", "apps", "credentials", None])
def test_lookups_let_go_after_each_file_and_rule_give_the_same_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tree: str | None
):
    if tree is None:
        write_app_tree(tmp_path, 450)
    root = FIXTURES / tree if tree is not None else tmp_path
    forgot = scan_frontend(root, backend_settings=BACKEND)
    assert forgot == _lookups_kept(monkeypatch, root)
    assert forgot.findings or tree == "correct"
