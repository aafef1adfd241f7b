"""The rules check one file at a time: the files with Pusher code are kept as summaries between, and what
the rules ask of other files (channels, hooks, apps, notes) is the same from the summaries as from whole
facts."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.frontend_tree import write_app_tree, write_tree
from pusher_doctor.deadline import Deadline
from pusher_doctor.scan import engine, scan_frontend, sources
from pusher_doctor.scan.channel_index import BIND, SUBSCRIBE, TRIGGER
from pusher_doctor.scan.engine import KEPT_WHOLE, _Envs, _read_files
from pusher_doctor.scan.facts import FileFacts, SummaryFacts
from pusher_doctor.scan.project import Project, build_project, hotel_contract_evidence, summarized
from pusher_doctor.scan.rules import RULES, Hit, Rule
from pusher_doctor.scan.sources import DEFAULT_SKIP_DIRS
from tests.scan.support import BACKEND, FIXTURES
from tests.scan.test_memory_shape import _write

NOTES = [rule.note for rule in RULES if rule.note is not None]

USE_PRESENCE = """import { pusher } from './pusher';
export function usePresence(room) {
  pusher.subscribe(room);
}
"""
#: calls both hooks (useChannelEvent is test_memory_shape's)
PAGE_WITH_TWO_HOOKS = """import { useChannelEvent } from './useChannelEvent';
import { usePresence } from './usePresence';
export function Page() {
  useChannelEvent('%s', 'created', () => {});
  usePresence('%s');
  return null;
}
"""
USE_EVENT = """import { useEffect } from 'react';
import { pusher } from '../b/pusher';
export function useEvent(name, handler) {
  useEffect(() => {
    const channel = pusher.subscribe(name);
    channel.bind('created', handler);
    return () => channel.unbind('created', handler);
  }, [name]);
}
"""
#: binds its stale handler itself and passes it to useEvent: stale-state finds the same setter call twice
PAGE_BINDING_AND_PASSING = """import { useEffect, useState } from 'react';
import { pusher } from './pusher';
import { useEvent } from '../a/useEvent';
export function Page() {
  const [orders, setOrders] = useState([]);
  const onOrder = (order) => setOrders([...orders, order]);
  useEvent('orders', onOrder);
  useEffect(() => {
    const channel = pusher.subscribe('orders');
    channel.bind('created', onOrder);
    return () => channel.unbind('created', onOrder);
  }, []);
  return orders.length;
}
"""


def _trees(tmp_path: Path) -> Iterator[Path]:
    yield from sorted(path for path in FIXTURES.glob("*/*") if path.is_dir())
    yield FIXTURES / "apps"
    yield FIXTURES / "projects"
    _write(tmp_path / "hooked")
    yield tmp_path / "hooked"
    # two hooks, each called from two files: their facts come hook by hook, then file by file
    _write(tmp_path / "hooks")
    (tmp_path / "hooks" / "usePresence.js").write_text(USE_PRESENCE)
    for page, rooms in (("Desk.jsx", ("desk-a", "desk-b")), ("Lobby.jsx", ("lobby-a", "lobby-b"))):
        (tmp_path / "hooks" / page).write_text(PAGE_WITH_TWO_HOOKS % rooms)
    yield tmp_path / "hooks"
    write_tree(tmp_path / "tree", 120)
    yield tmp_path / "tree"
    write_app_tree(tmp_path / "app", 150)
    yield tmp_path / "app"


def _projects(root: Path) -> tuple[Project, Project]:
    """The project of ``root`` with every file's whole facts, and as the rules checking one file at a time
    get it."""
    made = []
    for summarize in (None, lambda facts: summarized(facts, NOTES)):
        envs = _Envs(root, None)
        read = _read_files(root, envs, DEFAULT_SKIP_DIRS, 2.0, Deadline.after(60), 1, summarize)
        file_by_file = summarize is not None
        made.append(build_project(root, read.parsed, envs.loaded, BACKEND, file_by_file=file_by_file))
    return made[0], made[1]


def test_summaries_answer_what_other_files_ask_as_whole_facts_do(tmp_path: Path):
    (tmp_path / "hooked").mkdir()
    (tmp_path / "hooks").mkdir()
    summaries = 0
    for root in _trees(tmp_path):
        whole, summary = _projects(root)
        summaries += sum(isinstance(facts, SummaryFacts) for facts in summary.scanned)
        for kind in (SUBSCRIBE, BIND, TRIGGER):  # the file's own, then those found at hooks' call sites
            assert list(summary.uses(kind)) == list(whole.uses(kind)), (root, kind)
        if root.name == "hooks":
            assert [use.channel.display() for use in summary.uses(SUBSCRIBE) if use.via] == [
                "desk-a", "lobby-a", "orders", "desk-b", "lobby-b"]
        for package in whole.packages():
            assert hotel_contract_evidence(summary, package) == hotel_contract_evidence(whole, package), root
            assert summary.hooks(package) == whole.hooks(package), root
            assert summary.channel_index(package).uses == whole.channel_index(package).uses, root
        for mine, theirs in zip(summary.scanned, whole.scanned, strict=True):
            assert mine.src.rel == theirs.src.rel
            assert summary.stays_mounted(mine) == whole.stays_mounted(theirs), (root, mine.src.rel)
            for note in NOTES:
                assert summary.note(note, mine) == whole.note(note, theirs), (root, mine.src.rel, note)
    assert summaries > 20  # files with Pusher code were kept as summaries, not whole


def test_the_hooks_call_sites_are_found_again_in_each_callers_view(tmp_path: Path):
    _write(tmp_path)
    whole, summary = _projects(tmp_path)
    [(caller, fact)] = whole.call_site_binds
    view = summary.view([next(facts for facts in summary.scanned if facts.src.rel == caller.src.rel)])
    [(found_in, found)] = view.call_site_binds
    assert found_in.src.rel == "Orders.jsx" and not found_in.slim  # read again: the caller is a slim file
    assert (found.event, found.channel) == (fact.event, fact.channel)
    assert found.node.start_point == fact.node.start_point


def _count_parsed(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[sources.SourceFile]]:
    """Each file parsed from now on, as a weak reference: alive while something holds it."""
    parsed: list[weakref.ref[sources.SourceFile]] = []
    parse = sources.parse

    def parse_and_count(*args: object, **kwargs: object) -> object:
        loaded = parse(*args, **kwargs)  # type: ignore[arg-type]
        if isinstance(loaded, sources.SourceFile):
            parsed.append(weakref.ref(loaded))
        return loaded

    monkeypatch.setattr(sources, "parse", parse_and_count)
    return parsed


def test_a_small_apps_files_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_tree(tmp_path, 20)  # 9 files with Pusher code: kept whole
    parsed = _count_parsed(monkeypatch)
    assert scan_frontend(tmp_path, jobs=1).findings
    assert len(parsed) == 20


def test_the_rules_hold_one_file_with_pusher_code_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_tree(tmp_path, 200)  # more than half of them with Pusher code
    parsed = _count_parsed(monkeypatch)
    alive: list[int] = []
    checked: list[str] = []

    def count(project: Project) -> Iterator[Hit]:
        gc.collect()
        alive.append(sum(ref() is not None for ref in parsed))
        checked.extend(facts.src.rel for facts in project.files)
        return iter(())

    probe = Rule(id="probe", checklist_item="", title="", finds="", why="", fix="", wrong="", right="",
                 check=count, per_file=True)
    report = scan_frontend(tmp_path, jobs=1, rules=[*RULES, probe])
    assert report.files_scanned == 200 and report.findings
    assert len(checked) == len(set(checked)) == 200  # each file once
    # every file with Pusher code was parsed; past the first few kept whole, each was kept as a summary and
    # read again when checked: no more than those and the file being checked are held, however many there are
    assert len(parsed) > 200 + 2 * KEPT_WHOLE and max(alive) <= KEPT_WHOLE + 2


def test_reports_are_the_same_with_every_file_kept_whole_or_summarized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "hooked").mkdir()
    (tmp_path / "hooks").mkdir()
    for root in _trees(tmp_path):
        reports = []
        for kept in (0, 10**6):  # every file with Pusher code read twice (a summary between), or once
            monkeypatch.setattr(engine, "KEPT_WHOLE", kept)
            reports.append(scan_frontend(root, backend_settings=BACKEND, contract="hotel", jobs=1))
        assert reports[0] == reports[1], root
        assert reports[0].findings or "correct" in root.parts, root


def test_a_finding_at_a_hooks_call_site_comes_after_the_callers_own_as_on_the_whole_project(tmp_path: Path):
    # the hook's file is checked first; the whole project's rules report the caller's own stale update first,
    # and one finding is kept at a place: the caller's own
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "useEvent.js").write_text(USE_EVENT)
    (tmp_path / "b" / "pusher.js").write_text(
        "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n"
    )
    (tmp_path / "b" / "Page.jsx").write_text(PAGE_BINDING_AND_PASSING)
    [finding] = [f for f in scan_frontend(tmp_path).findings if f.rule == "stale-state"]
    assert (finding.file, finding.line) == ("b/Page.jsx", 6)
    assert "captured when the effect ran (deps [])" in finding.message


def test_beside_a_rule_given_the_whole_project_the_rules_find_what_they_find_file_by_file(tmp_path: Path):
    # scan-backend's and init's collectors are given the whole project: then every rule is, and the env
    # files' lines (a key only the env file sets, a secret-named browser variable) must still be reported
    seen: list[int] = []

    def whole(project: Project) -> Iterator[Hit]:
        seen.append(len(project.files))
        return iter(())

    collector = Rule(
        id="collector", checklist_item="", title="", finds="", why="", fix="", wrong="", right="", check=whole
    )
    (tmp_path / "hooked").mkdir()
    (tmp_path / "hooks").mkdir()
    for root in _trees(tmp_path):
        alone = scan_frontend(root, backend_settings=BACKEND, contract="hotel", jobs=1)
        beside = scan_frontend(
            root, backend_settings=BACKEND, contract="hotel", jobs=1, rules=[*RULES, collector]
        )
        assert beside.findings == alone.findings, root
        assert seen[-1] == alone.files_scanned  # the collector was given every file at once
    env_only = FIXTURES / "credentials" / "envonly"
    assert any(f.file.startswith(".env") for f in scan_frontend(env_only, backend_settings=BACKEND).findings)


def test_an_app_contracts_rules_check_file_by_file_and_find_what_they_find_on_the_whole_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import tomllib
    from dataclasses import replace

    from pusher_doctor.contract import contract_from_table
    from pusher_doctor.infer.rules import contract_rules

    contract = contract_from_table(tomllib.loads(
        '[channels.room]\ntemplate = "{hotel}-room-{room}-chat"\nevents = ["new-staff-message"]\n'
    ))
    write_tree(tmp_path, 200)  # its broken chats subscribe to '-rooms-', its Echo components to 'rooms.{id}'
    (tmp_path / "zz").mkdir()  # last in scan order: a summary, read again when checked
    (tmp_path / "zz" / "StaffChat.jsx").write_text(
        "import { pusher } from '../pusher';\nexport function listen(hotel, room, add) {\n"
        "  const channel = pusher.subscribe(`${hotel}-room-${room}-chat`);\n"
        "  channel.bind('new-message', add);  // the contract's event is new-staff-message\n}\n"
    )
    whole = scan_frontend(tmp_path, jobs=1, rules=[replace(rule, per_file=False) for rule in contract_rules(contract)])
    parsed = _count_parsed(monkeypatch)
    alive: list[int] = []

    def count(project: Project) -> Iterator[Hit]:
        gc.collect()
        alive.append(sum(ref() is not None for ref in parsed))
        return iter(())

    probe = Rule(id="probe", checklist_item="", title="", finds="", why="", fix="", wrong="", right="",
                 check=count, per_file=True)
    by_file = scan_frontend(tmp_path, jobs=1, rules=[*contract_rules(contract), probe])
    assert {f.rule for f in by_file.findings} == {"contract-channel", "contract-event"}
    assert [f.file for f in by_file.findings if f.rule == "contract-event"] == ["zz/StaffChat.jsx"]
    assert by_file.findings == whole.findings
    assert max(alive) <= KEPT_WHOLE + 2  # a rule given the whole project would have held every file's tree


def _times_out_after(checks: int) -> tuple[Deadline, Rule]:
    """A deadline that passes once the probe rule (run last) has checked ``checks`` groups of files."""
    now = [0.0]
    deadline = Deadline(10, clock=lambda: now[0])
    done: list[int] = []

    def count(project: Project) -> Iterator[Hit]:
        done.append(len(project.files))
        if len(done) >= checks:
            now[0] = 100.0
        return iter(())

    probe = Rule(id="probe", checklist_item="", title="", finds="", why="", fix="", wrong="", right="",
                 check=count, per_file=True)
    return deadline, probe


def test_when_the_rules_run_out_of_time_the_env_files_findings_are_kept_and_the_unchecked_files_counted():
    root = FIXTURES / "credentials" / "envonly"  # one file; its key is set only in .env.local
    expected = scan_frontend(root, backend_settings=BACKEND, jobs=1).findings
    assert any(f.file.startswith(".env") for f in expected)
    deadline, probe = _times_out_after(1)  # right after every rule has checked the only file
    _, project = _projects(root)
    findings, incomplete = engine._run_rules_file_by_file(project, [*RULES, probe], deadline)
    assert sorted(findings, key=lambda f: (f.file, f.line, f.rule)) == list(expected)
    assert incomplete is None  # every file was checked by every rule

    root = FIXTURES / "apps"
    _, project = _projects(root)
    first = next(engine._views(project))
    deadline, probe = _times_out_after(1)  # after the first group of files
    findings, incomplete = engine._run_rules_file_by_file(project, [*RULES, probe], deadline)
    left = len(project.scanned) - len(first)
    assert incomplete is not None and incomplete.endswith(f"; {left} file(s) not checked by every rule")


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_a_file_changed_before_the_rules_read_it_again_is_reported_as_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
):
    write_tree(tmp_path, 20)
    monkeypatch.setattr(engine, "KEPT_WHOLE", 0)  # every file with Pusher code kept as a summary
    before = scan_frontend(tmp_path, jobs=1)
    changed = next(f.file for f in before.findings if not f.file.startswith(".env"))
    build = engine.build_project

    def change_then_build(*args, **kwargs):  # after the reading, before the rules read the file again
        if change == "deleted":
            (tmp_path / changed).unlink()
        else:
            (tmp_path / changed).write_text("// emptied while the scan ran\n")
        return build(*args, **kwargs)

    monkeypatch.setattr(engine, "build_project", change_then_build)
    after = scan_frontend(tmp_path, jobs=1)
    assert [(s.file, s.reason) for s in after.skipped] == [
        (changed, "changed or deleted while it was scanned: not checked")]
    assert after.files_scanned == before.files_scanned - 1
    assert [f for f in after.findings if f.file != changed] == [f for f in before.findings if f.file != changed]


@pytest.mark.parametrize("kept", [0, 10**6])
def test_a_bug_in_a_rules_note_raises_for_every_file_as_a_bug_in_its_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
):
    # noted while the file is read (a summary) or asked while the rules run (kept whole): never blamed on the
    # file as one the scan could not analyse
    write_tree(tmp_path, 20)
    monkeypatch.setattr(engine, "KEPT_WHOLE", kept)

    def buggy(facts: FileFacts) -> object:
        if facts.subscriptions:
            raise KeyError("bug in a note")
        return None

    def check(project: Project) -> Iterator[Hit]:
        for facts in project.files:
            project.note(buggy, facts)
        return iter(())

    probe = Rule(id="probe", checklist_item="", title="", finds="", why="", fix="", wrong="", right="",
                 check=check, per_file=True, note=buggy)
    with pytest.raises(KeyError, match="bug in a note"):
        scan_frontend(tmp_path, jobs=1, rules=[*RULES, probe])


def test_a_note_no_rule_registered_is_a_programming_error_not_a_silent_none(tmp_path: Path):
    write_tree(tmp_path, 20)
    _, project = _projects(tmp_path)
    summary = next(facts for facts in project.scanned if isinstance(facts, SummaryFacts))

    def unregistered(facts: FileFacts) -> object:
        return "said"

    with pytest.raises(LookupError, match="unregistered"):
        project.note(unregistered, summary)
    for note in NOTES:  # a registered note that said nothing of the file answers None
        project.note(note, summary)
