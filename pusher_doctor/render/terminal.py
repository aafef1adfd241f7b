"""The report for a person at a terminal: one coloured line per check as it finishes, then the verdict.

Every string that reaches the screen goes through the Redactor and then `printable` (control and bidi
characters escaped), and none is parsed as rich markup: server messages and setting values are shown
as they are, never as escape sequences or markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.status import Status as Spinner
from rich.text import Text

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import encodes_symbols, printable
from pusher_doctor.results import CheckResult, Remediation, Report, Status
from pusher_doctor.results.causes import docs_link

if TYPE_CHECKING:  # the scan engine is loaded only by scan-frontend
    from pusher_doctor.scan.model import ScanReport

MARKS: dict[Status, tuple[str, str]] = {
    Status.PASS: ("✓", "green"),
    Status.WARN: ("!", "yellow"),
    Status.FAIL: ("✗", "bold red"),
    Status.SKIP: ("-", "dim"),
    Status.ERROR: ("✗", "bold magenta"),
}
TITLE_WIDTH = 14
#: the ids of the rules an app contract adds to scan-frontend (infer/rules.py: contract-channel, contract-event)
APP_CONTRACT_RULE_PREFIX = "contract-"
#: checks shown under a heading of their own, by the first word of their id (`page-load`: the page steps)
GROUPS = {"page": "Guest page"}
#: the verdict takes the colour of the worst step: green only when every step passed
VERDICT_STYLES: dict[Status, str] = {Status.PASS: "bold green", Status.WARN: "bold yellow",
                                     Status.SKIP: "bold yellow", Status.FAIL: "bold red", Status.ERROR: "bold red"}
#: this renderer's own symbols, for a terminal that cannot show them (PYTHONIOENCODING=ascii, a C locale)
ASCII_FALLBACK = str.maketrans({"✓": "+", "✗": "x", "…": "...", "→": "->", "—": "-"})


class TerminalReport:
    """Writes a `check` run to a rich Console."""

    def __init__(self, console: Console, redact: Redactor, verbose: bool = False, quiet: bool = False) -> None:
        self.console = console
        self.redact = redact
        self.verbose = verbose
        #: only problems (warnings, failures, crashes) and the verdict
        self.quiet = quiet
        self._groups_shown: set[str] = set()
        self._spinner: Spinner | None = None
        self._ascii_only = not encodes_symbols(console.encoding)

    def line(self, *parts: tuple[str, str] | str, indent: int = 0, label: int | None = None) -> None:
        """One item: the first `label` parts (default: the first, when there are more) are its label, and
        on a terminal the rest wraps at word boundaries, hanging under the text after the label. Off a
        terminal (CI logs, pipes) an item stays one line, for grep and copy-paste."""
        texts = [self._part(part) for part in parts]
        label = (1 if len(texts) > 1 else 0) if label is None else label
        head = Text(" " * indent).append_text(Text("").join(texts[:label]))
        body = Text("").join(texts[label:])
        hang = head.cell_len
        if not self.console.is_terminal or hang + 10 > self.console.width:
            self.console.print(head.append_text(body), soft_wrap=True)
            return
        for number, wrapped in enumerate(body.wrap(self.console, self.console.width - hang)):
            self.console.print((head if number == 0 else Text(" " * hang)).append_text(wrapped), soft_wrap=True)

    def _part(self, part: tuple[str, str] | str) -> Text:
        content, style = part if isinstance(part, tuple) else (part, "")
        return Text(self.safe(content), style=style)

    def safe(self, content: str) -> str:
        """Secrets masked first, then any control character escaped; symbols in ASCII where needed."""
        shown = printable(self.redact(content))
        return shown.translate(ASCII_FALLBACK) if self._ascii_only else shown

    def heading(self, title: str) -> None:
        if not self.quiet:
            self.line((title, "bold"))

    def fix(self, hint: Remediation, indent: int) -> None:
        """The fix's prose, then each command on a line of its own, ready to copy."""
        self.line(("fix: ", "bold cyan"), hint.text, indent=indent)
        for command in hint.commands:
            self.line(("run: ", "bold cyan"), command, indent=indent)

    @contextmanager
    def progress(self) -> Iterator[Callable[[str], None]]:
        """A spinner naming the running check (terminals only); yields the runner's on_start callback."""
        if not self.console.is_terminal:
            yield lambda title: None
            return
        with self.console.status("starting…") as spinner:
            self._spinner = spinner
            try:
                yield lambda title: spinner.update(Text(self.safe(f"{title}…")))
            finally:
                self._spinner = None

    def confirm(self, question: str) -> bool:
        """Asks a yes/no question, pausing the spinner; anything but yes is no."""
        if self._spinner is not None:
            self._spinner.stop()
        try:
            answer = self.console.input(Text(self.safe(question) + " [y/N] ", style="bold yellow"))
        except EOFError:
            answer = ""
        finally:
            if self._spinner is not None:
                self._spinner.start()
        return answer.strip().lower() in ("y", "yes")

    def check(self, result: CheckResult) -> None:
        if self.quiet and result.status in (Status.PASS, Status.SKIP):
            return
        group = GROUPS.get(result.id.split("-", 1)[0])
        if group is not None and group not in self._groups_shown:
            self._groups_shown.add(group)
            self.heading(group)
        mark, style = MARKS[result.status]
        outcome = result.outcome
        if outcome.brief and not self.verbose and result.status is Status.WARN:
            self.line((f"{mark} ", style), (result.title.ljust(TITLE_WIDTH), "bold"), outcome.summary,
                      (f" ({outcome.cause}; -v: the fix)", "dim"), label=2)
            return
        self.line((f"{mark} ", style), (result.title.ljust(TITLE_WIDTH), "bold"), (outcome.summary, style
                   if result.status.is_problem else ""), label=2)
        if outcome.hint and result.status is not Status.PASS and result.status is not Status.SKIP:
            self.fix(outcome.hint, indent=2 + TITLE_WIDTH)
        if outcome.cause and result.status is not Status.PASS:
            self.line((f"cause: {outcome.cause}  ({docs_link(outcome.cause)})", "dim"), indent=2 + TITLE_WIDTH)
        if self.verbose or result.status in (Status.FAIL, Status.ERROR, Status.WARN):
            for detail in outcome.details:
                self.line((detail, "dim"), indent=2 + TITLE_WIDTH)

    def summary(self, report: Report) -> None:
        if report.events and not self.quiet:
            self.console.print()
            self.heading("Events")
            for event in report.events:
                mark, style = MARKS[Status.PASS if event.received else Status.FAIL]
                timing = f"{event.latency_ms:.0f} ms" if event.latency_ms is not None else "not received"
                self.line((f"{mark} ", style), f"{event.event:<20} {event.channel:<48} ", (timing, style), indent=2)
        if not self.quiet:
            self.console.print()
        self.line(("Verdict: ", VERDICT_STYLES[worst_status(report)]), report.verdict)
        counts = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
        tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        took = f"{report.duration_ms:.0f} ms" if report.duration_ms < 1000 else f"{report.duration_ms / 1000:.1f} s"
        self.line((f"{tally} in {took}", "dim"))

    def error(self, message: str, hint: Remediation | None = None) -> None:
        """A one-line problem that stopped the command before any check ran."""
        self.line(("error: ", "bold red"), message)
        if hint:
            self.fix(hint, indent=2)


class TerminalScanReport:
    """Writes a `scan-frontend` report: one block per finding, then a one-line result."""

    #: a finding's mark and style by severity: errors as failures, warnings as warnings, notes dim
    SEVERITY_MARKS = (("error", ("✗", "bold red")), ("warning", ("!", "yellow")), ("note", ("i", "cyan")))

    def __init__(self, console: Console, redact: Redactor, verbose: bool = False) -> None:
        self._out = TerminalReport(console, redact, verbose)  # for its line() and styles
        self.verbose = verbose

    def show(self, report: ScanReport, compared_with_backend: bool = True, allow_skipped: bool = False,
             fail_on: str = "warning", scope: Mapping[str, object] | None = None) -> None:
        out = self._out
        out.heading(f"pusher-doctor {(scope or {}).get('command', 'scan-frontend')}: {report.root}")
        if report.env_files:
            out.line((f"env files: {', '.join(report.env_files)}", "dim"))
        if scope is not None:
            self._scope(scope)
        elif not compared_with_backend:
            out.line(("key and cluster were not compared with the backend's: add --backend-env PATH_TO_ITS_.env",
                      "dim"))
        app_rules = [rule.id for rule in report.rules if rule.id.startswith(APP_CONTRACT_RULE_PREFIX)]
        if report.contract is not None:
            out.line((f"hotel-chat contract rules: on ({report.contract})", "dim"))
        elif app_rules:
            out.line((f"app contract rules: on ({', '.join(app_rules)}: names judged by the app's contract)", "dim"))
        elif scope is None:
            off = "hotel-chat contract rules: off, nothing in the code shows that contract (--contract hotel runs them)"
            out.line((off, "dim"))
        for finding in report.findings:
            mark, style = dict(self.SEVERITY_MARKS).get(str(finding.severity), MARKS[Status.FAIL])
            out.line((f"{mark} ", style), (f"{finding.file}:{finding.line}:{finding.column}", "bold"),
                     "  ", (finding.rule, style), (f" ({finding.severity})", "dim"), f"  {finding.message}")
            out.line((f"{finding.line} | ", "dim"), finding.code, indent=4)
            out.line(("fix: ", "bold cyan"), finding.hint, ("  (checklist: ", "dim"),
                     (finding.checklist_item, "dim"), (")", "dim"), indent=4)
        if report.suppressed:
            out.line((f"{report.suppressed} finding(s) silenced by pusher-doctor-ignore comments", "dim"))
        hidden = report.hidden
        if hidden:
            accepted = " (accepted with --allow-skipped)" if allow_skipped else ""
            out.line(("! ", "yellow"), (f"{len(hidden)} file(s) could not be analysed and may hide problems{accepted}:",
                                        "bold yellow"))
            for skipped in hidden:
                out.line(f"{skipped.file}: {skipped.reason}", indent=2)
        others = [s for s in report.skipped if not s.hides_findings]
        if others:
            out.line((f"{len(others)} generated or non-source file(s) skipped"
                      + ("" if self.verbose else " (-v lists them)"), "dim"))
            if self.verbose:
                for skipped in others:
                    out.line((f"{skipped.file}: {skipped.reason}", "dim"), indent=2)
        if report.incomplete:
            out.line(("! ", "yellow"), ("incomplete: ", "bold yellow"), report.incomplete)
        failing = report.failing(fail_on)
        below = len(report.findings) - len(failing)
        below_text = f"{below} finding(s) below --fail-on {fail_on}" if below else ""
        files = len({f.file for f in failing})
        if report.files_scanned == 0:
            out.line(("! ", "yellow"), ("nothing could be scanned: every source file was skipped", "bold yellow"))
        elif failing:
            summary = (f"{len(failing)} problem(s) in {files} file(s) ({report.files_scanned} scanned)"
                       + (f"; {below_text}" if below else ""))
            out.line(("✗ ", "bold red"), (summary, "bold red"))
        elif report.clean(allow_skipped, fail_on):
            found = f"no problems found in {report.files_scanned} file(s)"
            out.line(("✓ ", "green"), (found, "bold green"), (f" ({below_text})" if below else "", "dim"))
        else:
            incomplete = f"no problems found in the {report.files_scanned} file(s) read, but the scan is not complete"
            out.line(("! ", "yellow"), (incomplete + " (see above)", "bold yellow"))


    def _scope(self, scope: Mapping[str, object]) -> None:
        """What scan-backend read: the kinds of backend, and the frontend its names were compared with."""
        kinds = scope.get("frameworks") or ()
        self._out.line((f"backend: {', '.join(map(str, kinds)) if kinds else 'no Pusher use found'}", "dim"))
        if scope.get("frontend") is not None and scope.get("frontend_files"):
            cut = ", the rest not read within the time limit" if scope.get("frontend_cut") else ""
            self._out.line((f"frontend compared: {scope['frontend']} ({scope['frontend_files']} file(s){cut})", "dim"))
        elif scope.get("frontend_cut"):
            self._out.line((("frontend not read: the scan's time limit came first, so channel and event names were "
                            "not compared (raise --timeout)"), "dim"))
        else:
            self._out.line(("no frontend code found: channel and event names were not compared (--frontend DIR)",
                            "dim"))


def worst_status(report: Report) -> Status:
    """The most serious status among the checks; an interrupted run is at best a warning."""
    return report.worst
