"""render/terminal.py: the exact text a person sees, what verbose adds, and that the secret never shows."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from pusher_doctor.config.secret import Redactor, Secret
from pusher_doctor.render.terminal import VERDICT_STYLES, TerminalReport, worst_status
from pusher_doctor.results import (
    CheckResult,
    ObservedEvent,
    Outcome,
    Remediation,
    Report,
    Status,
    failed,
    passed,
    problem,
    skipped,
)

SECRET = "c0ffee-5ecret-9d1a"

RESULTS = (
    CheckResult("settings", "Settings", passed("all 3 required settings found",
                                               "PUSHER_KEY from environment PUSHER_KEY"), 3.0),
    CheckResult("rest", "REST API", Outcome(Status.WARN, "answered in 950 ms", hint=Remediation("check the network"),
                                            cause="timeout", details=("slow answer",)), 950.0),
    CheckResult("websocket", "WebSocket", failed(problem("key-not-found", "the server knows no app with this key",
                                                 "copy PUSHER_KEY from the dashboard"),
                                                 "server said 4001: App key abc does not exist."), 20.0),
    CheckResult("subscribe", "Subscribe", skipped("not run: WebSocket failed", "skip detail"), 0.0),
    CheckResult("trigger", "Trigger", Outcome(Status.ERROR, "internal error in this check: ValueError: boom",
                                              hint=Remediation("report it"), cause="internal-error",
                                              details=("Traceback line",)), 1.0),
)
EVENTS = (ObservedEvent("h-room-1-chat", "new-staff-message", True, 41.4),
          ObservedEvent("h-conversation-9-chat", "new-message", False, None))
REPORT = Report(RESULTS, EVENTS, "The chain breaks at websocket: no app.", 2500.0)

EXPECTED_CHECKS = """\
✓ Settings      all 3 required settings found
! REST API      answered in 950 ms
                fix: check the network
                cause: timeout  (docs/causes.md#timeout)
                slow answer
✗ WebSocket     the server knows no app with this key
                fix: copy PUSHER_KEY from the dashboard
                cause: key-not-found  (docs/causes.md#key-not-found)
                server said 4001: App key abc does not exist.
- Subscribe     not run: WebSocket failed
✗ Trigger       internal error in this check: ValueError: boom
                fix: report it
                cause: internal-error  (docs/causes.md#internal-error)
                Traceback line
"""

EXPECTED_SUMMARY = """\

Events
  ✓ new-staff-message    h-room-1-chat                                    41 ms
  ✗ new-message          h-conversation-9-chat                            not received

Verdict: The chain breaks at websocket: no app.
1 pass, 1 warn, 1 fail, 1 skip, 1 error in 2.5 s
"""


def render(results=RESULTS, report: Report | None = REPORT, verbose: bool = False, secret: str = SECRET) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False)
    terminal = TerminalReport(console, Redactor(Secret(secret)), verbose=verbose)
    for result in results:
        terminal.check(result)
    if report is not None:
        terminal.summary(report)
    return out.getvalue()


def test_a_run_renders_exactly_one_line_per_check_then_the_summary():
    assert render() == EXPECTED_CHECKS + EXPECTED_SUMMARY


def test_details_of_a_passing_or_skipped_check_appear_only_when_verbose():
    quiet, verbose = render(report=None), render(report=None, verbose=True)
    assert "PUSHER_KEY from environment PUSHER_KEY" not in quiet
    assert "skip detail" not in quiet
    assert "                PUSHER_KEY from environment PUSHER_KEY\n" in verbose
    assert "                skip detail\n" in verbose


def test_a_passing_check_never_shows_a_fix_or_cause():
    result = CheckResult("a", "Settings", Outcome(Status.PASS, "ok", hint=Remediation("not shown"), cause="timeout"), 1.0)
    assert render([result], report=None, verbose=True) == "✓ Settings      ok\n"


def test_server_text_is_not_read_as_rich_markup():
    result = CheckResult("ws", "WebSocket", failed(problem("server-error", "server said [bold]hi[/bold]", "see [logs]")),
                         1.0)
    out = render([result], report=None)
    assert "server said [bold]hi[/bold]" in out
    assert "fix: see [logs]" in out


def test_the_secret_never_appears():
    leaky = CheckResult("rest", "REST API", failed(problem("wrong-secret", f"refused {SECRET}", f"is {SECRET} right?"),
                                                   f"signed with {SECRET}"), 1.0)
    passing = CheckResult("settings", "Settings", passed("ok", f"PUSHER_SECRET={SECRET}"), 1.0)
    report = Report((passing, leaky), (ObservedEvent(f"room-{SECRET}", "new-message", True, 1.0),),
                    f"verdict mentions {SECRET}", 10.0)
    out = render([passing, leaky], report=report, verbose=True)
    assert SECRET not in out
    assert out.count("********") == 6


def test_a_fixs_commands_are_shown_one_per_line_apart_from_its_prose():
    fix = Remediation("sync this machine's clock", ("timedatectl set-ntp true",))
    text = render((CheckResult("rest", "REST API", failed(problem("clock-skew", "clock is 700 s off", fix)), 1.0),),
                  report=None)
    assert text == ("✗ REST API      clock is 700 s off\n"
                    "                fix: sync this machine's clock\n"
                    "                run: timedatectl set-ntp true\n"
                    "                cause: clock-skew  (docs/causes.md#clock-skew)\n")


@pytest.mark.parametrize("width", [80, 120])
def test_on_a_terminal_long_lines_wrap_at_words_hanging_under_the_text(width: int) -> None:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=True)
    terminal = TerminalReport(console, Redactor())
    summary = "PUSHER_CLUSTER eu-west-1 is not a Pusher cluster (mt1, us2, us3, eu, ap1, ap2, ap3, ap4, sa1) " * 2
    fix = Remediation("copy the cluster from the Pusher dashboard (App Keys), or pass --timeout and --cluster " * 2)
    terminal.check(CheckResult("settings", "Settings", failed(problem("malformed-setting", summary, fix)), 1.0))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    words = set((summary + fix.text).split())
    assert all(word in words | {"✗", "Settings", "fix:", "cause:", "malformed-setting", "(docs/causes.md#malformed-setting)"}
               for line in lines for word in line.split()), "a word was split"
    summary_lines = lines[:next(i for i, line in enumerate(lines) if "fix:" in line)]
    assert len(summary_lines) > 1 and all(line.startswith(" " * 16) for line in summary_lines[1:])
    fix_lines = lines[len(summary_lines):-1]
    assert all(line.startswith(" " * 21) for line in fix_lines[1:])


def test_off_a_terminal_each_item_stays_one_line_for_grep() -> None:
    long_summary = "word " * 60
    text = render((CheckResult("rest", "REST API", passed(long_summary.strip()), 1.0),), report=None)
    assert text.count("\n") == 1


@pytest.mark.parametrize(("statuses", "style"), [
    ((Status.PASS, Status.PASS), "bold green"),
    ((Status.PASS, Status.WARN), "bold yellow"),
    ((Status.PASS, Status.SKIP), "bold yellow"),
    ((Status.WARN, Status.FAIL), "bold red"),
])
def test_the_verdict_takes_the_colour_of_the_worst_step(statuses, style) -> None:
    report = Report(tuple(CheckResult(str(i), "T", Outcome(s, "x"), 1.0) for i, s in enumerate(statuses)), (),
                    "verdict", 1.0)
    assert VERDICT_STYLES[worst_status(report)] == style


def test_a_brief_warning_is_one_line_and_verbose_shows_its_fix_cause_and_details():
    public = Outcome(Status.WARN, "h-room-1-chat is public", hint=Remediation("move to private-h-room-1-chat"),
                     cause="public-guest-channel", details=("step 1",), brief=True)
    result = CheckResult("channel-privacy", "Privacy", public, 1.0)
    assert render([result], report=None) == "! Privacy       h-room-1-chat is public (public-guest-channel; -v: the fix)\n"
    assert render([result], report=None, verbose=True) == (
        "! Privacy       h-room-1-chat is public\n"
        "                fix: move to private-h-room-1-chat\n"
        "                cause: public-guest-channel  (docs/causes.md#public-guest-channel)\n"
        "                step 1\n")
