"""The one place that picks terminal or JSON output for a command and builds the redactor it uses."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from pusher_doctor.cli.signals import interrupted_exit_code
from pusher_doctor.config.secret import Redactor, Secret
from pusher_doctor.render.safe_text import printable, takes_unicode
from pusher_doctor.results import ExitCode, Remediation, Status

if TYPE_CHECKING:
    from pusher_doctor.checks import Check
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.render.report import TicketFacts
    from pusher_doctor.render.terminal import TerminalReport
    from pusher_doctor.scan.model import ScanReport


class Output:
    """The one place that picks terminal or JSON output for a command, and the redactor all of it
    passes through. Renderers are imported only when used: JSON output never loads rich."""

    def __init__(self, json_output: bool, verbose: bool, *secret_values: Secret | str | None,
                 keys: tuple[str | None, ...] = (), schema: int | None = None) -> None:
        self.json_output = json_output
        self.verbose = verbose
        self.redact = Redactor(*secret_values, keys=keys)
        self._secret_values = secret_values
        self._keys = keys
        self._schema = schema

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
        from rich.console import Console

        from pusher_doctor.render.terminal import TerminalReport

        return TerminalReport(Console(file=stream or sys.stdout, highlight=False), self.redact, self.verbose, quiet)

    def _document(self, document: dict[str, object]) -> None:
        from pusher_doctor.render.json import dumps

        # On a stdout that cannot take UTF-8 (PYTHONIOENCODING=ascii), \u escapes keep the JSON exact.
        typer.echo(dumps(document, self.redact, ascii_only=not takes_unicode(sys.stdout)))

    def usage_error(self, message: str, hint: str | Remediation) -> NoReturn:
        """Says why the command cannot run (one JSON document in --json mode) and exits with 2."""
        self.show_usage_error(message, hint)
        raise typer.Exit(ExitCode.USAGE_ERROR)

    def file_not_written(self, option: str, path: Path, error: OSError) -> NoReturn:
        """A file the run was to write that could not be written after all (a full disk): one line on
        stderr, whatever the mode, and exit code 74."""
        reason = error.strerror or type(error).__name__
        typer.echo(printable(self.redact(f"pusher-doctor: {option} {path}: could not be written ({reason})")),
                   err=True)
        raise typer.Exit(ExitCode.OUTPUT_FAILED)

    def show_usage_error(self, message: str, hint: str | Remediation) -> None:
        fix = hint if isinstance(hint, Remediation) else Remediation(hint)
        if self.json_output:
            from pusher_doctor.render.json import SCHEMA, error_to_dict

            self._document(error_to_dict("usage-error", message, fix, self._schema or SCHEMA))
        else:
            self._terminal(sys.stderr).error(message, fix)

    def scan(self, report: ScanReport, compared_with_backend: bool = True, allow_skipped: bool = False,
             fail_on: str = "warning", sarif: bool = False, scope: Mapping[str, object] | None = None) -> None:
        """The scan report as text, as the JSON document, or (``sarif``) as a SARIF 2.1.0 log; all redacted.
        ``scope`` says what another scan than scan-frontend read (``command``, ``frameworks``, ``frontend``)."""
        if sarif:
            from pusher_doctor.render.sarif import scan_to_sarif

            self._document(scan_to_sarif(report, scope))
        elif self.json_output:
            from pusher_doctor.render.json import scan_to_dict

            self._document(scan_to_dict(report, allow_skipped, fail_on, scope))
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
            self._document(report_to_dict(report))
        else:
            terminal = self._terminal(quiet=reporting.quiet)
            if is_tty(sys.stdin) and is_tty(sys.stdout):
                run.context.request = replace(request, confirm=terminal.confirm)
            terminal.heading(title or f"pusher-doctor check: {request.hotel}, room {request.room}"
                             + (f", conversation {request.conversation}" if request.conversation else ""))
            with terminal.progress() as on_start:
                report = run.run(terminal.check, on_start)
            terminal.summary(report)
        if reporting.junit is not None:
            from pusher_doctor.render.junit import write_junit

            try:
                write_junit(report, reporting.junit, self.redact, strict=reporting.strict)
            except OSError as error:
                self.file_not_written("--junit", reporting.junit, error)
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


@dataclass(frozen=True)
class Reporting:
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


def is_tty(stream: object) -> bool:
    # A closed stdin (`<&-`) is None or raises on isatty(): nobody is there to answer.
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):
        return False
