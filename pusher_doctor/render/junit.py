"""The checklist as JUnit XML, so CI dashboards show each check as a test case.

One <testsuite> named after the run, one <testcase> per check: a failed check is a <failure>, a crashed
one an <error>, a skipped one <skipped>; a warning passes with its text in <system-out>, or fails with
--strict. Every string passes through the Redactor and loses the characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import valid_unicode
from pusher_doctor.results import CheckResult, Report, Status

SUITE = "pusher-doctor check"
#: characters XML 1.0 cannot represent at all, not even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str, redact: Redactor) -> str:
    return _NOT_XML.sub("\ufffd", valid_unicode(redact(value)))


def _body(result: CheckResult) -> str:
    outcome = result.outcome
    lines = [outcome.summary]
    if outcome.hint is not None:
        lines.append(f"fix: {outcome.hint}")
    if outcome.cause:
        lines.append(f"cause: {outcome.cause}")
    return "\n".join([*lines, *outcome.details])


def junit_xml(report: Report, redact: Redactor, strict: bool = False) -> str:
    """The report as a JUnit XML document (a string)."""
    def failing(result: CheckResult) -> bool:
        return result.status is Status.FAIL or (strict and result.status is Status.WARN)

    results = report.checks
    suite = ElementTree.Element("testsuite", {
        "name": SUITE,
        "tests": str(len(results)),
        "failures": str(sum(1 for r in results if failing(r))),
        "errors": str(sum(1 for r in results if r.status is Status.ERROR)),
        "skipped": str(sum(1 for r in results if r.status is Status.SKIP)),
        "time": f"{report.duration_ms / 1000:.3f}",
    })
    for result in results:
        case = ElementTree.SubElement(suite, "testcase", {
            "classname": "pusher-doctor.check", "name": _text(f"{result.id}: {result.title}", redact),
            "time": f"{result.duration_ms / 1000:.3f}"})
        message = _text(result.outcome.summary, redact)
        kind = result.outcome.cause or result.status.value
        if result.status is Status.ERROR:
            ElementTree.SubElement(case, "error", {"message": message, "type": kind}).text = _text(_body(result), redact)
        elif failing(result):
            ElementTree.SubElement(case, "failure", {"message": message, "type": kind}).text = _text(_body(result),
                                                                                                  redact)
        elif result.status is Status.SKIP:
            ElementTree.SubElement(case, "skipped", {"message": message})
        elif result.status is Status.WARN:
            ElementTree.SubElement(case, "system-out").text = _text(f"warning: {_body(result)}", redact)
    ElementTree.SubElement(suite, "system-out").text = _text(f"verdict: {report.verdict}", redact)
    root = ElementTree.Element("testsuites", {"name": "pusher-doctor"})
    root.append(suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: Report, path: Path, redact: Redactor, strict: bool = False) -> None:
    from pusher_doctor.render.files import write_text

    write_text(path, junit_xml(report, redact, strict))
