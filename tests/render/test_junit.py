"""render/junit.py: the checklist as JUnit XML that validates, masks the secret and survives any text."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from pusher_doctor.config.secret import MASK, Redactor
from pusher_doctor.render.junit import junit_xml
from pusher_doctor.results import (
    CheckResult,
    Outcome,
    Report,
    Status,
    failed,
    passed,
    problem,
    skipped,
    warned,
)

SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))
SECRET = "junit-secret-4c3b2a"

REPORT = Report((
    CheckResult("settings", "Settings", passed("ok"), 1.0),
    CheckResult("rest-api", "REST API", failed(problem("wrong-secret", f"refused {SECRET}")), 2.0),
    CheckResult("websocket", "WebSocket", warned(problem("clock-skew", "\x1b[41mclock\x00 off\ud800")), 3.0),
    CheckResult("subscribe", "Subscribe", skipped("not run: WebSocket failed"), 0.0),
    CheckResult("trigger", "Trigger", Outcome(Status.ERROR, "internal error", cause="internal-error"), 0.5),
), (), "The chain breaks at rest api", 1234.0)


def cases(xml: str) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(xml.encode())
    return {case.get("name", "").split(":")[0]: case for case in root.iter("testcase")}


def test_the_document_validates_and_has_one_case_per_check() -> None:
    xml = junit_xml(REPORT, Redactor(SECRET))
    SCHEMA.validate(xml)
    suite = ElementTree.fromstring(xml.encode()).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("5", "1", "1", "1")
    assert list(cases(xml)) == ["settings", "rest-api", "websocket", "subscribe", "trigger"]


def test_each_status_maps_to_its_junit_element() -> None:
    found = cases(junit_xml(REPORT, Redactor(SECRET)))
    assert list(found["settings"]) == []
    assert found["rest-api"].find("failure").get("type") == "wrong-secret"
    assert found["trigger"].find("error") is not None
    assert found["subscribe"].find("skipped") is not None
    assert found["websocket"].find("system-out").text.startswith("warning:")


@pytest.mark.parametrize(("strict", "failures"), [(False, "1"), (True, "2")])
def test_strict_turns_warnings_into_failures(strict: bool, failures: str) -> None:
    xml = junit_xml(REPORT, Redactor(SECRET), strict=strict)
    SCHEMA.validate(xml)
    assert ElementTree.fromstring(xml.encode()).find("testsuite").get("failures") == failures


def test_the_secret_and_characters_xml_cannot_carry_never_reach_the_file() -> None:
    xml = junit_xml(REPORT, Redactor(SECRET))
    assert SECRET not in xml and f"refused {MASK}" in xml
    assert "\x00" not in xml and "\x1b" not in xml
    xml.encode("utf-8")
