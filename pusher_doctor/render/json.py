"""Reports as versioned JSON documents: the contract CI and scripts rely on.

`check` documents are schema 2 (schema 1's fields, plus each fix as `{"text", "commands"}`);
`scan-frontend` documents have their own numbering, `SCAN_SCHEMA`. Every string in a document goes
through the Redactor before serialisation, so an escaped form of the secret cannot slip through either.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import valid_unicode
from pusher_doctor.results import CheckResult, Remediation, Report

if TYPE_CHECKING:  # the scan engine is loaded only by scan-frontend
    from pusher_doctor.scan.model import ScanReport

#: the `check` document; 2 added `fix` beside schema 1's `hint`
SCHEMA = 2
#: the `scan-frontend` document, numbered on its own; 2 added each finding's `severity`, `contract`,
#: `suppressed` and `fail_on` beside schema 1's fields
SCAN_SCHEMA = 2


def _redacted(value: Any, redact: Redactor) -> Any:
    if isinstance(value, str):
        return valid_unicode(redact(value))
    if isinstance(value, dict):
        return {valid_unicode(redact(str(k))): _redacted(v, redact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(v, redact) for v in value]
    return value


def fix_to_dict(fix: Remediation | None) -> dict[str, Any] | None:
    return None if fix is None else {"text": fix.text, "commands": list(fix.commands)}


def check_to_dict(result: CheckResult) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "id": result.id,
        "title": result.title,
        "status": result.status.value,
        "summary": outcome.summary,
        #: schema 1's one-line fix, commands included
        "hint": None if outcome.hint is None else str(outcome.hint),
        "fix": fix_to_dict(outcome.hint),
        "cause": outcome.cause,
        "details": list(outcome.details),
        "data": outcome.data,
        "duration_ms": round(result.duration_ms, 1),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "ok": report.ok,
        "verdict": report.verdict,
        "interrupted": report.interrupted,
        #: schema 2: the check that was waiting when the run was interrupted
        "interrupted_during": None if report.interruption is None else {
            "check": report.interruption.check_id, "title": report.interruption.title,
            "waited_ms": round(report.interruption.waited_ms, 1)},
        "checks": [check_to_dict(c) for c in report.checks],
        "events": [
            {"channel": e.channel, "event": e.event, "received": e.received, "latency_ms": e.latency_ms}
            for e in report.events
        ],
        "duration_ms": round(report.duration_ms, 1),
    }


def scan_to_dict(report: ScanReport, allow_skipped: bool = False, fail_on: str = "warning",
                 scope: Mapping[str, object] | None = None) -> dict[str, Any]:
    """A scan's document; ``scope`` (scan-backend's ``command``, ``frameworks``, ``frontend``) adds its keys."""
    return {
        "schema": SCAN_SCHEMA,
        **(scope or {}),
        #: the exit code's view: no finding at or above `fail_on`, nothing unread that could hide one,
        #: not cut short
        "ok": report.clean(allow_skipped, fail_on),
        "fail_on": str(fail_on),
        "root": report.root,
        "files_scanned": report.files_scanned,
        "findings": [
            {"rule": f.rule, "file": f.file, "line": f.line, "column": f.column, "message": f.message,
             "hint": f.hint, "code": f.code, "checklist_item": f.checklist_item, "severity": str(f.severity)}
            for f in report.findings
        ],
        #: why the hotel-chat contract rules ran, or null when they did not
        "contract": report.contract,
        #: findings silenced by `pusher-doctor-ignore` comments
        "suppressed": report.suppressed,
        "skipped": [{"file": s.file, "reason": s.reason, "kind": s.kind.value, "hides_findings": s.hides_findings}
                    for s in report.skipped],
        "env_files": list(report.env_files),
        #: why the scan stopped before reading everything (its time limit), or null
        "incomplete": report.incomplete,
    }


def error_to_dict(cause: str, message: str, hint: Remediation | None, schema: int = SCHEMA) -> dict[str, Any]:
    """A command that could not run at all (usage error), still as one document of its command's schema."""
    return {"schema": schema, "ok": False, "error": {"cause": cause, "message": message,
                                                     "hint": None if hint is None else str(hint),
                                                     "fix": fix_to_dict(hint)}}


#: characters json.dumps leaves raw that a terminal would act on (DEL, C1 controls, bidi overrides)
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
#: one escape sequence of JSON text, captured so that splitting keeps it (at the odd indexes)
_ESCAPE = re.compile(r"(\\(?:u[0-9a-fA-F]{4}|.))")
#: every character JSON text may have outside its strings
_OUTSIDE_STRINGS = frozenset("0123456789+-.eE" "truefalsn" "{}[],:" " \n\t\r")


def _masked_alike_in_text(redact: Redactor) -> bool:
    """Whether masking the serialised text masks exactly what masking each string would: true when no
    form to mask changes when written in JSON (no quote, backslash or control character to escape) and
    each has a character that only a string can hold (so it never matches a number, `true` or `null`)."""
    return _plain_in_json(redact.forms)


@functools.lru_cache(maxsize=16)
def _plain_in_json(forms: tuple[str, ...]) -> bool:
    return all(json.dumps(form, ensure_ascii=False)[1:-1] == form and not set(form) <= _OUTSIDE_STRINGS
               for form in forms)


class _StrictEncoder(json.JSONEncoder):
    """Strict JSON: a number it cannot hold (NaN, Infinity: a server's data as Python's json.dumps writes
    it, read back as a float) is written as null, never as the bare word no JSON parser takes."""

    def encode(self, o: Any) -> str:
        try:
            return super().encode(o)
        except ValueError as error:  # only a document with such a float pays for the second pass
            if "Out of range float" not in str(error):
                raise
            return super().encode(_finite(o))


def _finite(value: Any) -> Any:
    """`value` with each float that is not finite as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


@functools.lru_cache(maxsize=4)
def _encoder(ascii_only: bool, compact: bool) -> json.JSONEncoder:
    # json.dumps builds a new encoder whenever it is given an option: ~5 µs of each of a fast watch's records.
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
    return _StrictEncoder(ensure_ascii=ascii_only, allow_nan=False, **layout)


def fast_compact_encoder(plain: Callable[[Any], bool], checked: str | None = None,
                         ) -> Callable[[Any, bool | None], str]:
    """The compact encoder's text (`dumps(..., compact=True)`), written by orjson (about ten times faster)
    where it writes the same: no float, and nothing it refuses (an integer past 64 bits, a lone surrogate,
    a key that is not a string). For a fast watch's records; orjson is imported here, on the first ask.
    `plain(value)`: whether orjson writes `value` as the standard encoder does (`fast_json.only_plain`, given
    by the caller: render does not import the protocol layer). `checked`: each document is a dict whose
    values are strings, booleans or None (never a float) but at this key, which alone is looked through (a
    watch's records: `data`, as the server sent it). The encoder's `known`, for a value the caller looked
    through already (a watch's parser, each event's data: not looked through twice): True, plain; False,
    written by the standard encoder; None, `plain` is asked."""
    import orjson

    standard = _encoder(False, True).encode

    def encode(document: Any, known: bool | None = None) -> str:
        try:
            if known if known is not None else plain(document if checked is None else document.get(checked)):
                return orjson.dumps(document).decode()
        # orjson.JSONEncodeError (a TypeError): what it refuses, the standard encoder writes; data nested a few
        # hundred deep (an event's, as a server sent it) among it.
        except TypeError:
            pass
        return standard(document)

    return encode


def dumps(document: dict[str, Any], redact: Redactor, ascii_only: bool = False, compact: bool = False,
          encode: Callable[[Any], str] | None = None) -> str:
    """The document as JSON text: secrets masked, valid UTF-8, and safe to print on a terminal too.
    `compact`: one line, as JSON Lines records are; `encode`, with `compact`: `fast_compact_encoder(...)`."""
    if _masked_alike_in_text(redact):
        return _finished((encode if encode is not None and compact else _encoder(False, compact).encode)(document),
                         redact, ascii_only)
    return _terminal_safe(_encoder(ascii_only, compact).encode(_redacted(document, redact)))


def dumps_lines(documents: list[dict[str, Any]], redact: Redactor, ascii_only: bool = False,
                encode: Callable[[Any, bool | None], str] | None = None,
                known: Sequence[bool | None] | None = None) -> str:
    """The documents as JSON Lines, each line what `dumps(document, ..., compact=True)` writes. A fast watch
    writes thousands a second: where masking the text at once is masking each string, the lines are encoded
    first and the tests that they need no masking, mending or escaping are made once on all of them, which
    holds for each line when it holds for the whole (each is a part of it). `known`, with `encode`
    (`fast_compact_encoder(...)`): its `known` for each document, in their order."""
    if not documents:
        return ""
    if not _masked_alike_in_text(redact):
        return "".join(dumps(document, redact, ascii_only, True, encode) + "\n" for document in documents)
    if encode is not None and known is not None:
        lines = [encode(document, plain) for document, plain in zip(documents, known, strict=True)]
    else:
        encode_one = encode or _encoder(False, True).encode
        lines = [encode_one(document) for document in documents]
    text = "\n".join(lines) + "\n"
    if text.isascii() and "\x7f" not in text and not redact.could_change(text):
        return text
    return "".join(_finished(line, redact, ascii_only) + "\n" for line in lines)


def _finished(text: str, redact: Redactor, ascii_only: bool) -> str:
    """Encoded text masked (where masking the text is masking each string), made valid, and escaped as asked."""
    # The text at once instead of each string: a fast watch writes thousands of records a second.
    # The runs between escape sequences are masked, never an escape: a form has no character JSON
    # escapes, so each occurrence lies inside one run, and "\\n" + "foo..." is never read as "nfoo...".
    # Masked before any \u escape, so a cut ("…") is seen as the per-string masking sees it.
    if redact.could_change(text):  # most records hold nothing to mask: no split, no join
        runs = _ESCAPE.split(text)
        text = "".join(run if index % 2 else redact(run) for index, run in enumerate(runs))
    text = valid_unicode(text)
    if ascii_only and not text.isascii():
        text = _NON_ASCII.sub(lambda found: json.dumps(found.group())[1:-1], text)
    return _terminal_safe(text)


def _terminal_safe(text: str) -> str:
    # These can only stand inside strings, where a \u escape means the same character. DEL is the one of
    # them in ASCII, so most text is let through on two quick tests.
    if text.isascii() and "\x7f" not in text:
        return text
    return _RAW_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
