"""render/github.py: GitHub Actions annotations escaped as GitHub's toolkit escapes them, masked and
printable; one per problem of a check run, one per scan finding at its place."""

from __future__ import annotations

from pusher_doctor.config.secret import MASK, Redactor
from pusher_doctor.render.github import annotation, check_annotations
from pusher_doctor.results import CheckResult, Report, failed, passed, problem, warned


def test_an_annotation_escapes_its_message_and_properties() -> None:
    line = annotation("error", "50% done\nnext: line", Redactor(), title="a: b, c", file="src/a,b.js", line=3,
                      column=7)
    assert line == "::error file=src/a%2Cb.js,line=3,col=7,title=a%3A b%2C c::50%25 done\\nnext: line"


def test_an_annotation_masks_the_secret_and_shows_control_characters() -> None:
    line = annotation("warning", "secret s3cret-xyz \x1b[31m", Redactor("s3cret-xyz"))
    assert "s3cret-xyz" not in line and MASK in line and "\x1b" not in line


def test_a_check_run_annotates_each_problem_with_its_fix_and_cause_then_the_verdict() -> None:
    report = Report((CheckResult("settings", "Settings", passed("ok"), 1.0),
                     CheckResult("live-guest", "Live guest", warned(problem("live-guest-absent", "nobody")), 1.0),
                     CheckResult("rest-api", "REST API", failed(problem("wrong-secret", "refused", "copy it")), 1.0)),
                    (), "The chain breaks at REST API: refused.", 1.0)
    lines = check_annotations(report, Redactor())
    assert lines[0].startswith("::warning title=pusher-doctor live-guest%3A Live guest::nobody. Fix: ")
    assert lines[0].endswith("(cause live-guest-absent, docs/causes.md#live-guest-absent)")
    assert lines[1] == ("::error title=pusher-doctor rest-api%3A REST API::refused. Fix: copy it "
                        "(cause wrong-secret, docs/causes.md#wrong-secret)")
    assert lines[2] == "::error title=pusher-doctor verdict::The chain breaks at REST API: refused."
    assert len(lines) == 3
