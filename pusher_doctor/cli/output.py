"""The one place that picks terminal or JSON output for a command and builds the redactor it uses."""

from __future__ import annotations

import gc
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

import typer
from msgspec import Struct
from msgspec.structs import replace

from pusher_doctor.cli.signals import interrupted_exit_code, output_ready
from pusher_doctor.config.secret import Redactor, Secret
from pusher_doctor.render.safe_text import printable, takes_unicode
from pusher_doctor.results import ExitCode, Remediation, Status

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from pusher_doctor.checks import Check
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.render.report import TicketFacts
    from pusher_doctor.render.terminal import TerminalReport
    from pusher_doctor.render.watch import ReportLog
    from pusher_doctor.results import Problem
    from pusher_doctor.scan.model import ScanReport
    from pusher_doctor.triage.model import WatchSummary
    from pusher_doctor.triage.watch import Watch


#: `--color`: "auto" leaves it to rich (colour on a terminal; NO_COLOR and FORCE_COLOR honoured), "always"
#: (colour even into a pipe or a CI log, NO_COLOR or not) or "never"; chosen once, by the app's callback
_color = ["auto"]


def choose_color(choice: str) -> None:
    """Sets --color for every console this process opens."""
    _color[0] = choice


def color_options() -> dict[str, Any]:
    """rich Console arguments for the --color chosen. "always" names a colour system instead of forcing a
    terminal: a CI log gets colours, but no spinner or wrapping meant for a terminal."""
    if _color[0] == "always":
        return {"color_system": "standard", "no_color": False}
    if _color[0] == "never":
        return {"color_system": None}
    return {}


def console(**options: Any) -> Console:
    """A rich Console (without highlighting) on a sane width: rich takes COLUMNS=0 as a width of 0 and
    prints nothing at all, so a width under 1 becomes the terminal's own (80 when there is none)."""
    import shutil

    from rich.console import Console

    made = Console(highlight=False, **options)
    if made.width < 1:
        made.width = shutil.get_terminal_size().columns  # which itself passes over COLUMNS=0
    return made


def _resume_collector() -> None:
    """Resumes the garbage collector that `pusher_doctor.__main__` paused while the modules loaded, once
    they have: a command builds its output after its imports. What they made is frozen first, so the
    collector never walks it (it lives as long as the process anyway)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class Verdict(Protocol):
    """What a command's report must say for `Output.present` to derive the exit code: did it do its job
    without finding a problem."""

    @property
    def ok(self) -> bool: ...


ReportT = TypeVar("ReportT", bound=Verdict)


class Output:
    """The one place that picks terminal or JSON output for a command, and the redactor all of it
    passes through. Renderers are imported only when used: JSON output never loads rich."""

    #: the last Output a command built, and whether any JSON reached stdout: a run stopped by a signal
    #: before its document was written still ends with one (`after_interrupt`)
    _last: Output | None = None
    _wrote_json = False

    def __init__(self, json_output: bool, verbose: bool, *secret_values: Secret | str | None,
                 keys: tuple[str | None, ...] = (), schema: int | None = None) -> None:
        self.json_output = json_output
        self.verbose = verbose
        self.redact = Redactor(*secret_values, keys=keys)
        self._secret_values = secret_values
        self._keys = keys
        self._schema = schema
        Output._last = self
        _resume_collector()
        output_ready()

    @classmethod
    def after_interrupt(cls) -> None:
        """A command stopped by Ctrl-C, SIGTERM or SIGHUP before it wrote its JSON document: one saying so,
        in the command's schema (cause `interrupted`), so that --json never ends with an empty stdout."""
        last = cls._last
        if last is None or not last.json_output or cls._wrote_json:
            return
        from pusher_doctor.cli.signals import received_name
        from pusher_doctor.render.json import SCHEMA, error_to_dict
        from pusher_doctor.results import problem

        found = problem("interrupted", f"stopped by {received_name()} before the command had a result")
        last.document({**error_to_dict(found.cause, found.summary, found.hint, last._schema or SCHEMA),
                       "interrupted": True})

    def with_settings(self, loaded: LoadedSettings) -> Output:
        """The same output, also masking the secret and master key and shortening the key these settings hold."""
        return Output(self.json_output, self.verbose, *self._secret_values, loaded.settings["secret"].value,
                      loaded.settings["encryption_master_key"].value,
                      keys=(*self._keys, loaded.settings["key"].value), schema=self._schema)

    def masking(self, *secret_values: Secret | str | None) -> Output:
        """The same output, also masking these values (an auth endpoint's headers and cookies)."""
        return Output(self.json_output, self.verbose, *self._secret_values, *secret_values, keys=self._keys,
                      schema=self._schema)

    def _terminal(self, stream: object = None, quiet: bool = False) -> TerminalReport:
        from pusher_doctor.render.terminal import TerminalReport

        return TerminalReport(console(file=stream or sys.stdout, **color_options()), self.redact, self.verbose, quiet)

    def terminal(self) -> TerminalReport | None:
        """The writer for people (masked, control characters escaped); None in JSON mode, where stdout holds
        only documents. rich is imported only here."""
        return None if self.json_output else self._terminal()

    def document(self, document: dict[str, Any]) -> None:
        """One JSON document on stdout, masked."""
        from pusher_doctor.render.json import dumps

        Output._wrote_json = True
        # On a stdout that cannot take UTF-8 (PYTHONIOENCODING=ascii), \u escapes keep the JSON exact.
        typer.echo(dumps(document, self.redact, ascii_only=not takes_unicode(sys.stdout)))

    def json_line(self, record: dict[str, Any]) -> None:
        """One JSON Lines record on stdout, masked, flushed at once."""
        from pusher_doctor.render.json import dumps

        Output._wrote_json = True
        sys.stdout.write(dumps(record, self.redact, ascii_only=not takes_unicode(sys.stdout), compact=True) + "\n")
        sys.stdout.flush()

    def gathered_json_lines(self, checked: str | None = None,
                            ) -> tuple[Callable[[dict[str, Any], bool | None], None], Callable[[], None]]:
        """JSON Lines records as `json_line` writes them, gathered and written many at once, and the flush that
        writes what was gathered and flushes stdout: a fast watch writes thousands of records a second, and
        it calls the flush whenever it waits. The stream's encoding is asked once; records are encoded by
        orjson where it writes what the standard encoder writes, and checked for what to mask all at once.
        `checked`: the one key of the records that may hold a float; a record comes with whether the value
        there is plain, where the caller knows (`fast_compact_encoder`'s `known`), else None."""
        from pusher_doctor.protocol.fast_json import only_plain
        from pusher_doctor.render.json import dumps_lines, fast_compact_encoder

        redact, ascii_only = self.redact, not takes_unicode(sys.stdout)
        gathered: list[dict[str, Any]] = []
        known: list[bool | None] = []
        encode = fast_compact_encoder(only_plain, checked)

        def add(record: dict[str, Any], plain: bool | None) -> None:
            Output._wrote_json = True
            gathered.append(record)
            known.append(plain)
            if len(gathered) >= 256:  # about 64 KB: a pipe's buffer
                write()

        def write() -> None:
            if gathered:
                text = dumps_lines(gathered, redact, ascii_only, encode, known)
                # cleared before the write: a signal during it must not have `flush` write the same records again
                gathered.clear()
                known.clear()
                sys.stdout.write(text)

        def flush() -> None:
            write()
            sys.stdout.flush()

        return add, flush

    def present(self, report: ReportT | Problem, show: Callable[[TerminalReport, ReportT], None],
                to_dict: Callable[[ReportT], dict[str, Any]]) -> ExitCode:
        """A command's report as text (`show`) or as its JSON document (`to_dict`), all masked; the exit
        code from it: 0 when it is ok, 1 when not, and 1 with the cause and fix when the command could not
        do its job at all (a `Problem`)."""
        from pusher_doctor.results import Problem

        if isinstance(report, Problem):
            return self.problem(report)
        terminal = self.terminal()
        if terminal is None:
            self.document(to_dict(report))
        else:
            show(terminal, report)
        return ExitCode.OK if report.ok else ExitCode.PROBLEMS_FOUND

    def problem(self, found: Problem, json_line: bool = False) -> ExitCode:
        """A command that could not do its job: the problem with its cause and fix (a JSON Lines record
        when the command streams them); exit code 1."""
        from pusher_doctor.render.triage_text import problem_document, show_problem

        terminal = self.terminal()
        if terminal is not None:
            show_problem(terminal, found)
        elif json_line:
            self.json_line(problem_document(found))
        else:
            self.document(problem_document(found))
        return ExitCode.PROBLEMS_FOUND

    def watch(self, open_watch: Callable[[Callable[[Any], None], Callable[[], None] | None], Watch],
              duration: float | None, report_file: Path | None = None) -> ExitCode:
        """A watch as it runs: each event and notice on the terminal, or as a JSON Lines record; then the
        summary, and with `report_file` the ticket report. `open_watch(emit, flush)` makes the watch that
        hands each item to `emit` and calls `flush` (JSON Lines) before it waits. The exit code: 1 when the
        connection or a subscription failed or the server kept dropping the connection, 130/143/129 when
        interrupted."""
        from pusher_doctor.render.watch import SERVER_DATA, ReportLog, WatchConsole, record, summary_record
        from pusher_doctor.triage.model import WatchEvent

        term = self.terminal()
        console = WatchConsole(term) if term is not None else None
        log = ReportLog() if report_file is not None else None

        # Written by the watch whenever it waits: under a burst, one write per many records.
        add_line, flush = (self.gathered_json_lines(SERVER_DATA) if console is None
                           else (lambda _record, _plain: None, sys.stdout.flush))

        def emit(item: Any) -> None:
            if log is not None:
                log.add(item)
            if console is not None:
                console.show(item)
            else:
                # an event's data was looked through as it was parsed; a notice holds no float
                add_line(record(item), item.plain if isinstance(item, WatchEvent) else True)

        session = open_watch(emit, None if console is not None else flush)
        # `watch ... | grep -m1 new-staff-message`: once the reader has gone the watch is over, as at the end
        # of --duration (exit code its own, the summary written nowhere).
        stop_asking = when_reader_leaves(session.stop)
        try:
            try:
                failed = session.start()
            except KeyboardInterrupt:
                session.close()
                return interrupted_exit_code()
            if failed is not None:
                flush()
                return self.problem(failed, json_line=True)
            if term is not None:
                term.line(("watching; Ctrl-C ends with a summary" if duration is None
                           else f"watching for {duration:g} s", "dim"))
            summary = session.run()
        finally:
            stop_asking()
            flush()  # what was gathered goes out before anything else is written, whatever ended the watch
        if console is not None:
            console.summary(summary)
        else:
            self.json_line(summary_record(summary))
        if report_file is not None and log is not None:
            self._watch_report(term, report_file, summary, log)
        if summary.interrupted:
            return interrupted_exit_code()
        return ExitCode.PROBLEMS_FOUND if session.refused or session.kept_dropping else ExitCode.OK

    def _watch_report(self, term: TerminalReport | None, path: Path, summary: WatchSummary, log: ReportLog) -> None:
        """The watch's summary as a ticket report; a file that cannot be written after all is said (exit 74)."""
        from pusher_doctor.render.report import generated_now, package_versions, write_document
        from pusher_doctor.render.watch import watch_document

        try:
            write_document(watch_document(summary, log, generated_now(), package_versions()), path, self.redact)
        except OSError as error:
            self.file_not_written("--report", path, error)
        if term is not None:
            term.line((f"report written to {path}", "dim"))

    def not_sent(self, reason: str) -> ExitCode:
        """The live-guest guard said no: nothing was sent, which is the command not doing its job (exit 1)."""
        from pusher_doctor.render.trigger import not_sent_to_dict, show_not_sent

        terminal = self.terminal()
        if terminal is None:
            self.document(not_sent_to_dict(reason))
        else:
            show_not_sent(terminal, reason)
        return ExitCode.PROBLEMS_FOUND

    def usage_error(self, message: str, hint: str | Remediation, cause: str = "usage-error") -> NoReturn:
        """Says why the command cannot run (one JSON document in --json mode) and exits with 2."""
        self.show_usage_error(message, hint, cause)
        raise typer.Exit(ExitCode.USAGE_ERROR)

    def file_not_written(self, option: str, path: Path, error: OSError) -> NoReturn:
        """A file the run was to write that could not be written after all (a full disk): one line on
        stderr, whatever the mode, and exit code 74."""
        self._say_not_written(option, path, error)
        raise typer.Exit(ExitCode.OUTPUT_FAILED)

    def _say_not_written(self, what: str, path: Path, error: OSError, prefix: str = "", after: str = "") -> None:
        reason = error.strerror or type(error).__name__
        line = f"pusher-doctor: {prefix}{what} {path}: could not be written ({reason}){after}"
        typer.echo(printable(self.redact(line)), err=True)

    def show_usage_error(self, message: str, hint: str | Remediation, cause: str = "usage-error") -> None:
        fix = hint if isinstance(hint, Remediation) else Remediation(hint)
        if self.json_output:
            from pusher_doctor.render.json import SCHEMA, error_to_dict

            self.document(error_to_dict(cause, message, fix, self._schema or SCHEMA))
        else:
            self._terminal(sys.stderr).error(message, fix)

    def append_summary(self, path: Path, markdown: str) -> None:
        """Adds a run's Markdown to GitHub Actions' job summary. One that cannot be written is a warning on
        stderr: the user never asked for it, and exit 74 would hide the run's own 0 or 1."""
        from pusher_doctor.render.files import write_text

        try:
            write_text(path, markdown + "\n", append=True)
        except OSError as error:
            self._say_not_written("$GITHUB_STEP_SUMMARY", path, error, "warning: ", "; the exit code is the run's own")

    def scan(self, report: ScanReport, compared_with_backend: bool = True, allow_skipped: bool = False,
             fail_on: str = "warning", sarif: bool = False, scope: Mapping[str, object] | None = None,
             github: bool = False, root_given: str = "") -> None:
        """The scan report as text, as the JSON document, or (``sarif``) as a SARIF 2.1.0 log; all redacted.
        ``scope`` says what another scan than scan-frontend read (``command``, ``frameworks``, ``frontend``).
        With ``github`` the text is followed by an annotation per finding at its file and line (`root_given`:
        the folder as given, so that paths are the repository's); in a GitHub Actions job the findings are
        also added to its summary."""
        self._scan_report(report, compared_with_backend, allow_skipped, fail_on, sarif, scope)
        summary = step_summary_path()
        if not github and summary is None:
            return
        from pusher_doctor.render import github as actions

        if github:
            for line in actions.scan_annotations(report, self.redact, root_given):
                typer.echo(line)
        if summary is not None:
            self.append_summary(summary, actions.scan_summary(report, self.redact, root_given))

    def _scan_report(self, report: ScanReport, compared_with_backend: bool, allow_skipped: bool, fail_on: str,
                     sarif: bool, scope: Mapping[str, object] | None) -> None:
        if sarif:
            from pusher_doctor.render.sarif import scan_to_sarif

            self.document(scan_to_sarif(report, scope))
        elif self.json_output:
            from pusher_doctor.render.json import scan_to_dict

            self.document(scan_to_dict(report, allow_skipped, fail_on, scope))
        else:
            from pusher_doctor.render.terminal import TerminalScanReport

            TerminalScanReport(self._terminal().console, self.redact, self.verbose).show(
                report, compared_with_backend, allow_skipped, fail_on, scope)

    def check(self, request: CheckRequest, loaded: LoadedSettings, title: str | None = None,
              checks: Sequence[Check] | None = None, reporting: Reporting | None = None) -> ExitCode:
        """Runs the checklist, showing each check as it finishes on a terminal; the exit code.

        The output must already mask the secret of `loaded` (see `with_settings`)."""
        from pusher_doctor.checks import CHECKS
        from pusher_doctor.runner.session import CheckRun

        reporting = reporting or Reporting()
        run = CheckRun(request, loaded, CHECKS if checks is None else checks)
        if self.json_output:
            from pusher_doctor.render.json import report_to_dict

            report = run.run()
            self.document(report_to_dict(report))
        else:
            terminal = self._terminal(quiet=reporting.quiet)
            if is_tty(sys.stdin) and is_tty(sys.stdout):
                run.context.request = replace(request, confirm=terminal.confirm)
            from pusher_doctor.cli.check import check_title

            terminal.heading(title or f"pusher-doctor check: {check_title(request)}")
            with terminal.progress() as on_start:
                report = run.run(terminal.check, on_start)
            terminal.summary(report)
        if reporting.junit is not None:
            from pusher_doctor.render.junit import write_junit

            try:
                write_junit(report, reporting.junit, self.redact, strict=reporting.strict)
            except OSError as error:
                self.file_not_written("--junit", reporting.junit, error)
        if reporting.github:
            from pusher_doctor.render.github import check_annotations

            for line in check_annotations(report, self.redact):
                typer.echo(line)
        if reporting.step_summary is not None and reporting.report_facts is not None:
            from pusher_doctor.render.report import markdown_report

            self.append_summary(reporting.step_summary, markdown_report(report, reporting.report_facts, self.redact))
        if reporting.report_file is not None and reporting.report_facts is not None:
            from pusher_doctor.render.report import write_report

            try:
                write_report(report, reporting.report_facts, reporting.report_file, self.redact)
            except OSError as error:
                self.file_not_written("--report", reporting.report_file, error)
        if report.interrupted:
            return interrupted_exit_code()
        if not report.ok or (reporting.strict and any(c.status is Status.WARN for c in report.checks)):
            return ExitCode.PROBLEMS_FOUND
        return ExitCode.OK


def when_reader_leaves(leave: Callable[[], None]) -> Callable[[], None]:
    """Calls `leave` (from a thread of its own) once stdout is a pipe or socket whose reader has gone; returns
    what stops the asking. A watch may write nothing for hours, so a write failing is not soon enough: as
    `tail -f` does, the pipe itself is asked (poll says POLLERR once no one reads it), and a write that
    already met the closed pipe (which points stdout at /dev/null) counts too. A terminal or file: never."""
    import os
    import select
    import stat
    import threading

    stream = sys.stdout
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # not a real descriptor (a test's capture)
        return lambda: None
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or getattr(stream, "reader_left", False)):
        return lambda: None
    done = threading.Event()
    poller = select.poll()
    poller.register(stream.fileno(), select.POLLERR)  # POLLHUP (a socket's reader gone) is always reported

    def ask() -> None:
        while not done.is_set():
            if getattr(stream, "reader_left", False) or poller.poll(250):
                leave()
                return

    threading.Thread(target=ask, name="pusher-doctor-reader", daemon=True).start()
    return done.set


def step_summary_path() -> Path | None:
    """GitHub Actions' job summary file ($GITHUB_STEP_SUMMARY), when this runs in a job that has one."""
    import os

    value = os.environ.get("GITHUB_STEP_SUMMARY", "")
    return Path(value) if value else None


class Reporting(Struct, frozen=True):
    """How a check run is reported beyond the main output, as the CI options ask."""

    #: only problems and the verdict on the terminal
    quiet: bool = False
    #: warnings fail the run (exit code 1, failures in JUnit)
    strict: bool = False
    #: also write JUnit XML here
    junit: Path | None = None
    #: also write a report for a ticket here (Markdown or HTML by suffix), about these facts
    report_file: Path | None = None
    report_facts: TicketFacts | None = None
    #: also print GitHub Actions annotations (--output-format github)
    github: bool = False
    #: also append the Markdown report to GitHub Actions' job summary (needs report_facts)
    step_summary: Path | None = None


def is_tty(stream: object) -> bool:
    # A closed stdin (`<&-`) is None or raises on isatty(): nobody is there to answer.
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):
        return False
