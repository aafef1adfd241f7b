"""A `scan-frontend` (or `scan-backend`) report as a SARIF 2.1.0 log, for GitHub code scanning and editors.

One run; the rules that ran are the driver's rule table (with their severity as the default level),
each finding is a result at its file, line and column, and files the scan could not analyse (which
may hide findings) or a scan cut short are tool execution notifications. Artifact URIs are the
scanned path joined with each finding's file, so a scan of `guest-app/src` run from the repository's
root points GitHub at `guest-app/src/pages/Chat.jsx`. Strings are redacted by the caller's `dumps`.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pusher_doctor import __version__

if TYPE_CHECKING:  # the scan engine is loaded only by scan-frontend
    from pusher_doctor.scan.model import RuleInfo, ScanReport, SkippedFile

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: where each rule is documented in the project (the project has no public home page to link to)
RULES_DOC = "docs/scan-rules.md"
#: each command's rules document, by the command named in a report's scope
RULES_DOCS = {"scan-backend": "docs/backend-rules.md"}


def scan_to_sarif(report: ScanReport, scope: Mapping[str, object] | None = None) -> dict[str, Any]:
    """The SARIF log of one scan; ``scope`` (scan-backend's) adds to the run's properties and picks its rules doc."""
    rules_doc = RULES_DOCS.get(str((scope or {}).get("command")), RULES_DOC)
    base = _base_folder(report.root)
    index = {rule.id: number for number, rule in enumerate(report.rules)}
    results = []
    for finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": str(finding.severity),
            "message": {"text": f"{finding.message}. Fix: {finding.hint}"},
            "locations": [_location(base, finding.file, finding.line, finding.column, finding.code)],
            "properties": {"checklist_item": finding.checklist_item},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pusher-doctor",
                        "version": __version__,
                        "rules": [_rule(rule, rules_doc) for rule in report.rules],
                    }
                },
                "results": results,
                "invocations": [_invocation(report, base)],
                "properties": {**(scope or {}), "files_scanned": report.files_scanned,
                               "contract": report.contract, "suppressed": report.suppressed},
            }
        ],
    }


def _rule(rule: RuleInfo, rules_doc: str = RULES_DOC) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.finds},
        "help": {"text": f"{rule.fix.rstrip('.')} (see {rules_doc}, section {rule.id})."},
        "defaultConfiguration": {"level": str(rule.severity)},
        "properties": {"checklist_item": rule.checklist_item, "scope": str(rule.scope),
                       "tags": ["pusher", rule.checklist_item]},
    }


def _invocation(report: ScanReport, base: str) -> dict[str, Any]:
    notes = [_skip_notification(base, skipped) for skipped in report.hidden]
    if report.incomplete:
        notes.append({"level": "warning", "message": {"text": f"incomplete: {report.incomplete}"}})
    invocation: dict[str, Any] = {"executionSuccessful": report.incomplete is None}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _skip_notification(base: str, skipped: SkippedFile) -> dict[str, Any]:
    return {
        "level": "warning",
        "message": {"text": f"not analysed ({skipped.kind}): {skipped.reason}; it may hide findings"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(base, skipped.file)}}}],
    }


def _location(base: str, file: str, line: int, column: int, code: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if code:
        region["snippet"] = {"text": code}
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(base, file)}, "region": region}}


def _base_folder(root: str) -> str:
    """The folder findings' paths are relative to: the scanned folder, or a scanned file's folder."""
    return os.path.dirname(root) if os.path.isfile(root) else root


def _uri(base: str, file: str) -> str:
    """A URI reference for ``file`` (relative to ``base``): relative when the scan's path was."""
    path = posixpath.normpath(posixpath.join(base.replace(os.sep, "/"), file)) if base else file
    # A file name that is not UTF-8 holds its bytes as lone surrogates: they go back to those bytes, each
    # percent-encoded, so the URI names the very file (and the document stays valid).
    quoted = quote(path, errors="surrogateescape")
    return "file://" + quoted if path.startswith("/") else quoted
