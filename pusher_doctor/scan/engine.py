"""``scan_frontend``: walk, parse, extract facts, run the rule registry, return a report."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pusher_doctor.deadline import NEVER, Deadline, TimeLimitExceeded
from pusher_doctor.scan import facts as facts_module
from pusher_doctor.scan import sources
from pusher_doctor.scan.envfile import FrontendEnv, load_frontend_env
from pusher_doctor.scan.model import (
    BackendPusherSettings,
    Finding,
    ScanInputError,
    ScanReport,
    Scope,
    Severity,
    SkipKind,
    SkippedFile,
)
from pusher_doctor.scan.packages import ROOT_PACKAGE, PackageFinder
from pusher_doctor.scan.project import Note, Project, build_project, hotel_contract_evidence, summarized
from pusher_doctor.scan.rules import RULES, Hit, Rule
from pusher_doctor.scan.suppress import ignored_lines, is_silenced

#: seconds one file may take to read, parse and analyse; a hand-written file takes milliseconds
DEFAULT_FILE_TIME_LIMIT = 2.0
#: seconds the whole scan may take; a few thousand files take a few seconds
DEFAULT_TIME_LIMIT = 60.0
#: whether the hotel-chat contract rules run: when the code shows that contract, always, or never
CONTRACT_CHOICES = ("auto", "hotel", "none")

_LIMIT = SkipKind.TIME_LIMIT


def scan_frontend(
    root: Path,
    frontend_env: Path | None = None,
    backend_settings: BackendPusherSettings | None = None,
    *,
    skip_dirs: frozenset[str] = sources.DEFAULT_SKIP_DIRS,
    rules: Sequence[Rule] = RULES,
    file_time_limit: float = DEFAULT_FILE_TIME_LIMIT,
    time_limit: float = DEFAULT_TIME_LIMIT,
    contract: str = "auto",
    jobs: int | None = None,
) -> ScanReport:
    """Scan a frontend directory (or one file) for the usual reasons a guest misses live messages.

    ``frontend_env`` is the frontend's env file; without it each app's ``.env``, ``.env.development``
    and ``.env.local`` are found as its build finds them (see :mod:`~pusher_doctor.scan.envfile`);
    a tree holding several apps is judged app by app (:mod:`~pusher_doctor.scan.packages`). ``backend_settings`` enables
    the key/cluster comparison. ``rules`` narrows the scan to some rules (the rule tests run one).
    ``contract`` decides whether the hotel-chat contract rules run: ``auto`` (only when the code
    shows that contract: see :func:`~pusher_doctor.scan.project.hotel_contract_evidence`), ``hotel``
    (always) or ``none`` (never).

    ``jobs`` is how many processes read files: None lets a tree of :data:`PARALLEL_MIN_FILES` files or
    more use a second core (when there is one), 1 reads in this process only.

    A file that takes longer than ``file_time_limit`` seconds is skipped (kind ``time-limit``). When
    the scan has taken ``time_limit`` seconds it stops reading, runs the rules over what it read
    (giving them at least ``file_time_limit`` more), and says so in :attr:`ScanReport.incomplete`.

    Raises :class:`ScanInputError` when ``root`` (or the given env file) does not exist, or ``root``
    is neither a folder nor a regular file (a FIFO, a device); unreadable or unparsable source files
    are reported as skipped, never raised.
    """
    if contract not in CONTRACT_CHOICES:
        raise ValueError(f"contract must be one of {CONTRACT_CHOICES}, not {contract!r}")
    deadline = Deadline.after(time_limit)
    root = Path(root)
    if not root.exists():
        raise ScanInputError(f"{root} does not exist")
    if not root.is_dir() and not root.is_file():  # a FIFO or /dev/stdin would block or never end
        raise ScanInputError(f"{root} is neither a folder nor a regular file")
    if root.is_file() and root.suffix not in sources.LANGUAGE_BY_SUFFIX:
        raise ScanInputError(f"{root} is not a JavaScript, TypeScript or Vue file")
    envs = _Envs(root, frontend_env)
    # rules written to check one file at a time let the reading keep files with Pusher code as summaries; a
    # rule given the whole project (another command's collector) gets every file's tree
    file_by_file = all(rule.per_file for rule in rules)
    summarize = _Summaries([rule.note for rule in rules if rule.note is not None]) if file_by_file else None
    read = _read_files(root, envs, skip_dirs, file_time_limit, deadline, jobs, summarize)
    if read.incomplete is None and not read.parsed and not read.skipped:
        raise ScanInputError(f"no JavaScript, TypeScript or Vue files in {root}")
    if read.incomplete is not None:
        read.incomplete = f"stopped after {time_limit:g} s (the scan's time limit): {read.incomplete}"
    project = build_project(root, read.parsed, envs.loaded, backend_settings, file_by_file)
    evidence = _contract_reasons(project, contract)
    if not evidence:
        rules = [rule for rule in rules if rule.scope is not Scope.HOTEL_CONTRACT]
    # the rules still judge what was read when the walk used up the time: they get at least as long
    # as one file may take (they take a fraction of the reading time)
    run = _run_rules_file_by_file if file_by_file else _run_rules
    findings, rules_incomplete = run(project, rules, deadline.later(Deadline.after(file_time_limit)))
    if rules_incomplete is not None and read.incomplete is None:
        read.incomplete = f"stopped after {time_limit:g} s (the scan's time limit): {rules_incomplete}"
    kept = _unsilenced(read.parsed, _one_per_place(_in_contract_apps(project, rules, findings, evidence)))
    # a file kept as a summary that changed before the rules read it again was not checked: said, not hidden
    read.skipped.extend(SkippedFile(rel, reason, SkipKind.UNREADABLE) for rel, reason in project.changed.items())
    return ScanReport(
        root=str(root),
        files_scanned=len(read.parsed) - len(project.changed),
        findings=tuple(sorted(kept, key=lambda f: (f.file, f.line, f.column, f.rule))),
        skipped=tuple(sorted(read.skipped, key=lambda s: s.file)),
        env_files=tuple(
            dict.fromkeys(sources.relative_name(path, root) for env in envs.loaded.values() for path in env.files)
        ),
        incomplete=read.incomplete,
        rules=tuple(rule.info() for rule in rules),
        contract=next(iter(evidence.values()), None),
        suppressed=len(findings) - len(kept),
    )


def _contract_reasons(project: Project, contract: str) -> dict[str, str]:
    """Why the hotel-chat contract rules run, by app (see :mod:`~pusher_doctor.scan.packages`); empty
    when they run nowhere. Asked for, they run on every app."""
    if contract == "none":
        return {}
    packages = project.packages()
    if contract == "hotel":
        return dict.fromkeys(packages, "asked for") or {"": "asked for"}
    found = {package: hotel_contract_evidence(project, package) for package in packages}
    return {package: reason for package, reason in found.items() if reason is not None}


def _one_per_place(findings: list[Finding]) -> list[Finding]:
    """The findings, less notes on a line that a warning or error already reports: one finding per bug
    (a mount-once cleanup that unsubscribes a shared channel is that bug, not also a risk to confirm)."""
    serious = {(f.file, f.line) for f in findings if f.severity is not Severity.NOTE}
    return [f for f in findings if f.severity is not Severity.NOTE or (f.file, f.line) not in serious]


def _in_contract_apps(
    project: Project, rules: Sequence[Rule], findings: list[Finding], evidence: dict[str, str]
) -> list[Finding]:
    """The findings, less the contract rules' in apps that do not show the contract."""
    contract_rules = {rule.id for rule in rules if rule.scope is Scope.HOTEL_CONTRACT}
    package_of = {facts.src.rel: facts.package for facts in project.scanned}
    return [
        finding
        for finding in findings
        if finding.rule not in contract_rules or package_of.get(finding.file, "") in evidence
    ]


def _unsilenced(parsed: list[facts_module.FileFacts], findings: list[Finding]) -> list[Finding]:
    """The findings no ``pusher-doctor-ignore`` comment silences (comments are read only in files
    that have findings)."""
    by_rel = {facts.src.rel: facts for facts in parsed}
    silenced: dict[str, dict[int, frozenset[str]]] = {}
    kept = []
    for finding in findings:
        if finding.file not in silenced:
            facts = by_rel.get(finding.file)
            silenced[finding.file] = ignored_lines(facts.src.text) if facts is not None else {}
        if not is_silenced(silenced[finding.file], finding.line, finding.rule):
            kept.append(finding)
    return kept


class _Envs:
    """Each app's env (the root's read first, so an unusable ``--env-file`` stops the scan at once)."""

    def __init__(self, root: Path, frontend_env: Path | None) -> None:
        self.finder = PackageFinder(root)
        self._frontend_env = frontend_env
        self.loaded: dict[str, FrontendEnv] = {ROOT_PACKAGE: load_frontend_env(root, frontend_env)}
        #: the apps of the files read, in walk order (see :meth:`walked`)
        self._order: dict[str, None] = {ROOT_PACKAGE: None}

    def walked(self, results: Iterable[facts_module.FileFacts | SkippedFile | None]) -> None:
        """Notes the apps of files read, given in walk order: see :meth:`load_in_walk_order`."""
        for result in results:
            if isinstance(result, facts_module.FileFacts):
                self._order[result.package] = None
            elif isinstance(result, SkippedFile) and result.kind in (SkipKind.ANALYSIS_FAILED, _LIMIT):
                package = self.finder.of_file(result.file)
                if package in self.loaded:  # read past its parse here (a helper's could not tell)
                    self._order[package] = None

    def load_in_walk_order(self) -> None:
        """Each app's env loaded, in the order one process reading the files in walk order loads them: that of
        the first file of the app read past its parse (the report lists the env files in that order). With a
        helper process, an app whose files it read alone would otherwise be missing here, and the rules would
        judge its files by the root's env."""
        loaded = {package: self.of(package) for package in self._order}
        self.loaded = loaded | self.loaded

    def of(self, package: str) -> FrontendEnv:
        env = self.loaded.get(package)
        if env is None:
            env = self.loaded[package] = load_frontend_env(self.finder.folder(package), self._frontend_env)
        return env


@dataclass
class _Read:
    parsed: list[facts_module.FileFacts] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    incomplete: str | None = None


def _read_files(
    root: Path,
    envs: _Envs,
    skip_dirs: frozenset[str],
    file_time_limit: float,
    deadline: Deadline,
    jobs: int | None = None,
    summarize: _Summarize | None = None,
) -> _Read:
    """Parse and extract every candidate file, each within its own limit, until ``deadline``; with
    ``summarize``, a file with Pusher code is kept as what it gives (a summary without the file's tree) as
    soon as it is read, so that the trees are not all held at the end of the reading.

    On a large tree a second process shares the reading (see :class:`_Helper`); the result is the same,
    in the same order, as reading them all here.
    """
    read = _Read()
    # kept as text until each file is read: a Path object for each file of a large tree cost more than its facts
    paths: list[tuple[str, str]] = []
    relative_name = sources.relative_names(root)
    for item in sources.iter_candidate_files(root, skip_dirs, deadline):
        if isinstance(item, SkippedFile):
            read.skipped.append(item)
        else:
            paths.append((os.fspath(item), relative_name(item)))
    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    sizes = [len(chunk) for chunk in chunks]
    del paths
    helper = _Helper.start(chunks, envs, file_time_limit, deadline, jobs, summarize)
    got: dict[int, list[_Result]] = {}

    def done(results: dict[int, list[_Result]]) -> None:
        # a chunk's paths are let go once it is read: held to the end of the reading, they were part of the
        # peak, which is there
        got.update(results)
        for index in results:
            chunks[index] = []

    try:
        while not deadline.passed():
            if helper is not None:
                done(helper.received(envs, file_time_limit, deadline))
            index = helper.claim() if helper is not None else (len(got) if len(got) < len(chunks) else None)
            if index is None:
                break
            done({index: _read_chunk(chunks[index], envs, file_time_limit, deadline, summarize=summarize)})
        if helper is not None:
            done(helper.finish(envs, file_time_limit, deadline))
            for index in range(helper.claimed()):  # chunks the helper took but never sent back: it died
                if index not in got and not deadline.passed():
                    chunk = _read_chunk(chunks[index], envs, file_time_limit, deadline, summarize=summarize)
                    done({index: chunk})
    finally:
        if helper is not None:
            helper.stop()
    for index, size in enumerate(sizes):
        results = got.get(index, [])
        envs.walked(results)
        stopped = len(results) < size
        for result in results:
            if isinstance(result, SkippedFile):
                read.skipped.append(result)
                if result.kind is _LIMIT and result.reason == _OUT_OF_TIME:
                    stopped = True
                    break
            elif result is not None:
                read.parsed.append(result)
        if stopped:
            break  # the time limit stopped the reading here: what comes after is unread
    envs.load_in_walk_order()
    if deadline.passed():  # the walk stops as soon as it has: what it had not reached is unread
        read.incomplete = f"{len(read.parsed)} file(s) were analysed, the rest of the tree was not read"
    return read


_Result = facts_module.FileFacts | SkippedFile | None
#: what a file with Pusher code is kept as once read (see :class:`_Summaries`)
_Summarize = Callable[[facts_module.FileFacts], facts_module.FileFacts]

#: files with Pusher code kept whole by the reading before the others are kept as summaries: a small app's
#: are not read twice (a file of thousands of effects took as long again), and a large tree's cost no more
KEPT_WHOLE = 16


class _Summaries:
    """What the reading keeps of each file with Pusher code when the rules check one file at a time: the
    first :data:`KEPT_WHOLE` whole, the others as summaries with the rules' notes (see
    :func:`~pusher_doctor.scan.project.summarized`), read again when they are checked."""

    def __init__(self, notes: list[Note]) -> None:
        self._notes = tuple(notes)  # shared by every summary
        self._kept = 0

    def __call__(self, facts: facts_module.FileFacts) -> facts_module.FileFacts:
        if self._kept < KEPT_WHOLE:
            self._kept += 1
            return facts
        return summarized(facts, self._notes)


def _read_chunk(
    chunk: list[tuple[str, str]], envs: _Envs, file_time_limit: float, deadline: Deadline,
    keep_whole: bool = True, summarize: _Summarize | None = None,
) -> list[_Result]:
    """The chunk's files read in order, as far as the time limit lets them (a file read past it is skipped)."""
    results: list[_Result] = []
    for path, rel in chunk:
        if deadline.passed():
            break
        result = _read_one(path, rel, envs, file_time_limit, deadline, keep_whole, summarize)
        results.append(result)
        if isinstance(result, SkippedFile) and result.kind is _LIMIT and result.reason == _OUT_OF_TIME:
            break
    return results


_OUT_OF_TIME = "not finished when the scan's time limit ran out"


def _read_one(
    path_text: str, rel: str, envs: _Envs, file_time_limit: float, deadline: Deadline,
    keep_whole: bool = True, summarize: _Summarize | None = None,
) -> facts_module.FileFacts | SkippedFile | None:
    """One file's facts (slimmed when it has no Pusher code; with ``summarize``, what it keeps of a file that
    has some: whole, or a summary), or why it was skipped. With ``keep_whole`` false (in the helper process),
    None for a file that may have Pusher code: its facts would hold its tree, which cannot leave the process,
    so it is read where the rules run (and not parsed here first)."""
    file_deadline = Deadline.after(file_time_limit).sooner(deadline)
    path = Path(path_text)
    try:
        text = sources.read_hand_written(path, rel)
        if isinstance(text, SkippedFile):
            return text
        if not keep_whole and facts_module.may_hold_pusher(text.encode("utf-8")):
            return None
        loaded = sources.parse(path, rel, text, file_deadline)
        if isinstance(loaded, SkippedFile):
            return loaded
        package = envs.finder.of_file(rel)
        facts = facts_module.read_facts(loaded, envs.of(package).values, file_deadline, package)
    except TimeLimitExceeded:
        if deadline.passed():  # the scan's limit, not the file's: this file is not to blame
            return SkippedFile(rel, _OUT_OF_TIME, _LIMIT)
        return SkippedFile(rel, f"took longer than the {file_time_limit:g} s allowed for one file", _LIMIT)
    except Exception as error:  # noqa: BLE001 - one odd file must not cost the whole scan
        reason = f"could not be analysed: {type(error).__name__}: {error}"
        return SkippedFile(rel, reason, SkipKind.ANALYSIS_FAILED)
    # the rules' notes are the rules' code, not the file's reading: a bug in one raises as it does in a rule's
    # check (and as the note of a file kept whole does, asked while the rules run), not blamed on this file
    if not facts.slim and summarize is not None:
        facts = summarize(facts)
    if not facts.slim:  # kept whole: its lookups are found again when a rule asks
        facts_module.forget_lookups(facts)
    return facts if keep_whole or facts.slim else None


#: trees smaller than this are read in one process: starting a second one costs more than it saves
PARALLEL_MIN_FILES = 400
#: files read per claim: few enough that both processes end together and stop soon at the time limit
_CHUNK = 32
#: what the helper process needs, set before it is forked (a fork shares it without pickling)
_HELPER_STATE: tuple[Any, ...] | None = None


def _helper_started() -> None:
    """In the helper process, first: the signals it inherited from the CLI are let be again. The CLI turns
    SIGTERM into KeyboardInterrupt, which in the helper printed a traceback when it was stopped at the end
    of every scan; Ctrl-C reaches both processes, and the main one stops the helper itself."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _helper_reads(chunk: list[tuple[str, str]]) -> bytes:
    """In the helper process: read a chunk of files; a file that may have Pusher code comes back as None. The
    results are pickled here, so that one that would not unpickle is this side's error to report."""
    assert _HELPER_STATE is not None
    envs, file_time_limit, deadline = _HELPER_STATE[:3]
    results = _read_chunk(chunk, envs, file_time_limit, deadline, keep_whole=False)
    return pickle.dumps([facts_module.packed(r) if isinstance(r, facts_module.FileFacts) else r for r in results])


def _helper_main() -> None:
    """The helper process: claim the next chunk not yet taken, read it, send it back; until none is left."""
    _helper_started()
    assert _HELPER_STATE is not None
    _, _, deadline, chunks, claimed, sending = _HELPER_STATE
    try:
        while not deadline.passed():
            index = _claim(claimed, len(chunks))
            if index is None:
                break
            try:
                data: bytes | None = _helper_reads(chunks[index])
            except Exception:  # noqa: BLE001 - the main process reads this chunk instead
                data = None
            sending.send((index, data))
    finally:
        sending.close()  # the main process sees the end of what it will get


def _claim(claimed: Any, count: int) -> int | None:
    """The next chunk no process has taken yet (None when all are taken): both processes take them in turn,
    so that neither waits for the other at the end, whatever share of the cores each gets."""
    with claimed.get_lock():
        index = claimed.value
        if index >= count:
            return None
        claimed.value = index + 1
        return index


class _Helper:
    """A second process sharing the reading of a large tree with this one: the machine's second core parses
    in parallel. Each process takes the next chunk of files in walk order until none is left. Files without
    Pusher code (most of an app) come back as slim facts; those that may have some, and any chunk the helper
    failed on, are read here, where the rules run (a syntax tree cannot leave its process)."""

    def __init__(
        self, process: Any, receiving: Any, claimed: Any, chunks: list[list[tuple[str, str]]],
        summarize: _Summarize | None = None,
    ) -> None:
        import queue
        import threading

        self._process = process
        self._receiving = receiving
        self._claimed = claimed
        self._chunks = chunks
        self._summarize = summarize
        self._ended = False
        # A chunk's results can outgrow the pipe's buffer: were they read only between this process's own
        # chunks, the helper would wait on its send for each one. A thread takes them off the pipe at once.
        self._inbox: queue.Queue[tuple[int, bytes | None] | None] = queue.Queue()
        threading.Thread(target=self._take_from_pipe, daemon=True).start()

    def _take_from_pipe(self) -> None:
        try:
            while True:
                self._inbox.put(self._receiving.recv())
        except (EOFError, OSError):  # the helper has sent all it will (or this side stopped listening)
            self._inbox.put(None)

    @classmethod
    def start(
        cls, chunks: list[list[tuple[str, str]]], envs: _Envs, file_time_limit: float, deadline: Deadline,
        jobs: int | None, summarize: _Summarize | None = None,
    ) -> _Helper | None:
        files = sum(len(chunk) for chunk in chunks)
        wanted = jobs if jobs is not None else (2 if files >= PARALLEL_MIN_FILES else 1)
        if wanted < 2 or files < 2 or _usable_cores() < 2 or "fork" not in _start_methods():
            return None
        import multiprocessing  # only large trees start a helper

        # what both processes will compile, compiled once here (a .vue file's language is its <script lang>)
        suffixes = {os.path.splitext(path)[1] for chunk in chunks for path, _ in chunk}
        for language in {sources.LANGUAGE_BY_SUFFIX[suffix] for suffix in suffixes} - {"vue"}:
            facts_module.prepare_light_read(language)
        global _HELPER_STATE
        context = multiprocessing.get_context("fork")
        claimed = context.Value("i", 0)
        receiving, sending = context.Pipe(duplex=False)
        _HELPER_STATE = (envs, file_time_limit, deadline, chunks, claimed, sending)
        try:
            process = context.Process(target=_helper_main, daemon=True)
            process.start()
        except OSError:  # no process to be had (a limit on processes, memory): this one reads it all
            receiving.close()
            return None
        finally:
            _HELPER_STATE = None  # the helper has its own copy since it was forked
            sending.close()  # this side only receives: the helper's end closing is then seen here
        return cls(process, receiving, claimed, chunks, summarize)

    def claim(self) -> int | None:
        """The next chunk for this process to read, None when all are taken."""
        return _claim(self._claimed, len(self._chunks))

    def claimed(self) -> int:
        """How many chunks have been taken, by either process."""
        return self._claimed.value

    def received(self, envs: _Envs, file_time_limit: float, deadline: Deadline) -> dict[int, list[_Result]]:
        """The chunks the helper has sent so far (its files with Pusher words read here), without waiting."""
        return self._collect(envs, file_time_limit, deadline, wait=False)

    def finish(self, envs: _Envs, file_time_limit: float, deadline: Deadline) -> dict[int, list[_Result]]:
        """The rest of the helper's chunks, as far as it got before ``deadline`` (and a second more)."""
        return self._collect(envs, file_time_limit, deadline, wait=True)

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._receiving.close()

    def _collect(
        self, envs: _Envs, file_time_limit: float, deadline: Deadline, wait: bool
    ) -> dict[int, list[_Result]]:
        import queue

        got: dict[int, list[_Result]] = {}
        while not self._ended:
            try:
                if wait:
                    message = self._inbox.get(timeout=max(deadline.at - time.monotonic(), 0.0) + 1.0)
                else:
                    message = self._inbox.get_nowait()
            except queue.Empty:
                break  # nothing yet, or (waiting) it overran the time limit: what it sent is kept
            if message is None:
                self._ended = True  # it has sent all it will
                break
            index, data = message
            chunk = self._chunks[index]
            try:
                results = pickle.loads(data) if data is not None else [None] * len(chunk)
                results = [facts_module.unpacked(r) if isinstance(r, tuple) else r for r in results]
            except Exception:  # noqa: BLE001 - the helper's results would not unpickle: read them here
                results = [None] * len(chunk)
            for position, result in enumerate(results):
                if result is None and not deadline.passed():
                    path, rel = chunk[position]
                    results[position] = _read_one(
                        path, rel, envs, file_time_limit, deadline, summarize=self._summarize
                    )
                elif result is None:
                    del results[position:]  # not read before the time limit: the rest is unread
                    break
            got[index] = results
        return got


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


_Findings = dict[tuple[str, str, int, int], Finding]


def _run_rules(
    project: Project, rules: Sequence[Rule], deadline: Deadline
) -> tuple[list[Finding], str | None]:
    """The findings of ``rules`` given the whole project (one per rule and place), and why they stopped early,
    if they did."""
    findings: _Findings = {}
    for done, rule in enumerate(rules, start=1):
        project.forget_lookups()  # what the rule before found: the files' lookups are held for one rule at a time
        _add(findings, rule, rule.check(project), deadline)
        if deadline.passed() and done < len(rules):
            not_run = ", ".join(r.id for r in rules[done:])
            incomplete = f"the rules ran out of time at {rule.id}; not run: {not_run}"
            break
    else:
        incomplete = None
    # a rule written to check one file at a time, run here beside one that is not, checked every file at
    # once: what belongs to no file (an env file's line) it reports as it would file by file
    _finish(project, rules, findings)
    return list(findings.values()), incomplete


def _run_rules_file_by_file(
    project: Project, rules: Sequence[Rule], deadline: Deadline
) -> tuple[list[Finding], str | None]:
    """:func:`_run_rules` for rules that check one file at a time (:attr:`Rule.per_file`): each file with
    Pusher code (read again: it was kept as a summary) or a hook's call site, and each run of other files
    between them, is checked by every rule in its view (:meth:`Project.view`) and let go, in scan order; then
    each rule reports what belongs to no file (:attr:`Rule.finish`).

    A rule's findings at one file come in the order they would on the whole project, which decides which
    one of a place is kept: those a rule makes in another file than the ones it checks (at a hook's call
    sites, while it checks the hook) are added once every file is checked, after that file's own, as on the
    whole project."""
    findings: _Findings = {}
    elsewhere: list[tuple[Rule, Hit]] = []
    incomplete = _check_files(project, rules, deadline, findings, elsewhere)
    for rule, hit in elsewhere:
        _add(findings, rule, [hit], NEVER)  # found before the time ran out, if it did
    _finish(project, rules, findings)
    return list(findings.values()), incomplete


def _finish(project: Project, rules: Sequence[Rule], findings: _Findings) -> None:
    """Each rule's findings that belong to no file (:attr:`Rule.finish`), even when the time ran out: they
    read only the env values and the rules' notes, kept since the reading, so they cost next to nothing."""
    for rule in rules:
        if rule.finish is not None:
            _add(findings, rule, rule.finish(project), NEVER)


def _check_files(
    project: Project,
    rules: Sequence[Rule],
    deadline: Deadline,
    findings: _Findings,
    elsewhere: list[tuple[Rule, Hit]],
) -> str | None:
    """Every rule's check of each group of files (see :func:`_views`) in its view, until ``deadline``:
    findings in those files added to ``findings``, those elsewhere kept in ``elsewhere``; why it stopped
    early, if it did."""
    checked = 0
    for files in _views(project):
        view = project.view(files)
        rels = {facts.src.rel for facts in view.files}
        for done, rule in enumerate(rules, start=1):
            own = []
            for hit in rule.check(view):
                if hit.location.file in rels:
                    own.append(hit)
                else:
                    elsewhere.append((rule, hit))
            _add(findings, rule, own, deadline)
            if deadline.passed():
                # the group in hand counts as checked once its last rule is done with it
                left = len(project.scanned) - checked - (len(files) if done == len(rules) else 0)
                if left:
                    where = f"{rule.id} in {files[0].src.rel}"
                    return f"the rules ran out of time at {where}; {left} file(s) not checked by every rule"
        checked += len(files)
    return None


def _views(project: Project) -> Iterator[list[facts_module.FileFacts]]:
    """The scanned files in scan order, in the groups the rules check together: a file whose tree is read for
    it alone (a summary, or a caller of a hook), and runs of the files between them (slim: nothing to
    read)."""
    run: list[facts_module.FileFacts] = []
    for facts in project.scanned:
        if isinstance(facts, facts_module.SummaryFacts) or project.calls_hooks(facts):
            if run:
                yield run
                run = []
            yield [facts]
        else:
            run.append(facts)
    if run:
        yield run


def _add(findings: _Findings, rule: Rule, hits: Iterable[Hit], deadline: Deadline) -> None:
    """The rule's hits added to ``findings``, the first one at each place kept, until ``deadline``."""
    for hit in hits:
        where = hit.location
        findings.setdefault(
            (rule.id, where.file, where.line, where.column),
            Finding(
                rule.id,
                where.file,
                where.line,
                where.column,
                hit.message,
                hit.hint,
                where.code,
                rule.checklist_item,
                hit.severity or rule.severity,
            ),
        )
        if deadline.passed():
            break
