"""render/json.py: the schema-2 JSON document CI relies on (schema 1's fields kept), and that the secret
never reaches it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.config.secret import MASK, Redactor, Secret
from pusher_doctor.protocol.fast_json import only_plain
from pusher_doctor.render.json import dumps, error_to_dict, report_to_dict
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
)

SECRET = "f00dfeed-5ecret-value"

ALL_STATUSES = tuple(
    CheckResult(status.value, status.value.title(), Outcome(status, f"{status.value} summary"), 12.345)
    for status in Status
)


def report(*checks: CheckResult, events: tuple[ObservedEvent, ...] = (), interrupted: bool = False) -> Report:
    return Report(tuple(checks), events, "the verdict", 1234.56, interrupted)


def document(rep: Report, secret: str = SECRET) -> dict:
    return json.loads(dumps(report_to_dict(rep), Redactor(Secret(secret))))


def test_top_level_keys_are_exactly_the_schema_2_contract():
    doc = document(report(*ALL_STATUSES, events=(ObservedEvent("h-room-1-chat", "new-staff-message", True, 4.0),)))
    assert list(doc) == ["schema", "ok", "verdict", "interrupted", "interrupted_during", "checks", "events",
                         "duration_ms"]
    assert doc["schema"] == 2
    assert doc["verdict"] == "the verdict"
    assert doc["duration_ms"] == 1234.6


def test_each_check_has_exactly_the_contract_keys():
    doc = document(report(CheckResult("rest", "REST API", failed(problem("wrong-secret", "refused", "copy it"),
                                                                 "detail one", attempts=2), 5.0)))
    (check,) = doc["checks"]
    assert list(check) == ["id", "title", "status", "summary", "hint", "fix", "cause", "details", "data",
                           "duration_ms"]
    assert check == {"id": "rest", "title": "REST API", "status": "fail", "summary": "refused",
                     "hint": "copy it", "fix": {"text": "copy it", "commands": []}, "cause": "wrong-secret",
                     "details": ["detail one"], "data": {"attempts": 2}, "duration_ms": 5.0}


def test_a_fix_keeps_its_commands_apart_from_its_prose_and_schema_1_hint_has_both():
    fix = Remediation("sync this machine's clock", ("timedatectl set-ntp true",))
    doc = document(report(CheckResult("rest", "REST API", failed(problem("clock-skew", "clock is off", fix)), 1.0)))
    (check,) = doc["checks"]
    assert check["fix"] == {"text": "sync this machine's clock", "commands": ["timedatectl set-ntp true"]}
    assert check["hint"] == "sync this machine's clock: `timedatectl set-ntp true`"


def test_a_passing_check_has_no_fix():
    (check,) = document(report(CheckResult("settings", "Settings", passed("fine"), 1.0)))["checks"]
    assert check["hint"] is None and check["fix"] is None


def test_each_event_has_exactly_the_contract_keys():
    events = (ObservedEvent("h-room-1-chat", "new-staff-message", True, 41.5),
              ObservedEvent("h-conversation-9-chat", "new-message", False, None))
    doc = document(report(*ALL_STATUSES[:1], events=events))
    assert [list(e) for e in doc["events"]] == [["channel", "event", "received", "latency_ms"]] * 2
    assert doc["events"][1] == {"channel": "h-conversation-9-chat", "event": "new-message",
                                "received": False, "latency_ms": None}


def test_statuses_are_the_lowercase_strings():
    doc = document(report(*ALL_STATUSES))
    assert [c["status"] for c in doc["checks"]] == ["pass", "warn", "fail", "skip", "error"]


@pytest.mark.parametrize(("checks", "interrupted", "ok"), [
    ((CheckResult("a", "A", passed("fine"), 1.0),), False, True),
    ((CheckResult("a", "A", passed("fine"), 1.0),), True, False),
    (ALL_STATUSES, False, False),
])
def test_ok_is_false_on_a_problem_or_an_interrupt(checks, interrupted, ok):
    doc = document(report(*checks, interrupted=interrupted))
    assert doc["ok"] is ok
    assert doc["interrupted"] is interrupted


@pytest.mark.parametrize("secret", [SECRET, 'se"cret-with-quote', "se\\cret-with-backslash"])
def test_the_secret_is_masked_in_summaries_details_and_keys(secret):
    leaky = CheckResult("rest", "REST API", Outcome(Status.FAIL, f"server said: bad secret {secret}",
                                                    details=(f"signing with {secret}",)), 1.0)
    text = dumps({**report_to_dict(report(leaky)), f"key-{secret}": "v"}, Redactor(Secret(secret)))
    assert secret not in text
    assert json.dumps(secret)[1:-1] not in text  # nor its JSON-escaped form
    doc = json.loads(text)
    assert doc["checks"][0]["summary"] == f"server said: bad secret {MASK}"
    assert doc["checks"][0]["details"] == [f"signing with {MASK}"]
    assert f"key-{MASK}" in doc


def test_a_usage_error_is_still_one_document_of_its_commands_schema():
    doc = json.loads(dumps(error_to_dict("missing-setting", f"no key; secret {SECRET}", Remediation("add it")),
                           Redactor(SECRET)))
    assert doc == {"schema": 2, "ok": False,
                   "error": {"cause": "missing-setting", "message": f"no key; secret {MASK}", "hint": "add it",
                             "fix": {"text": "add it", "commands": []}}}
    scan = json.loads(dumps(error_to_dict("usage-error", "no such folder", None, schema=1), Redactor()))
    assert scan["schema"] == 1 and scan["error"]["hint"] is None


# --- masking the serialised text at once (the fast path) masks what masking each string does -----------

_PIECES = st.sampled_from(["f00dfeed-5ecret-value", "f00dfe", "t-value", "…", '"', "\\", "\n", "é", "\U0001f600",
                           "nf00dfeed-5ecret-value", "u00e9",
                           "key-1234567", "true", "1234", " ", ":", ",", "\x7f", "\u202e"])
_TEXT = st.lists(_PIECES, max_size=8).map("".join)
_DOCUMENTS = st.recursive(st.one_of(_TEXT, st.integers(-5, 5000), st.booleans(), st.none()),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(document=_DOCUMENTS, secret=st.sampled_from(["f00dfeed-5ecret-value", "nf00dfeed-5ecret-value",
                                                     'quo"ted-secret', "1234", "truefalse"]),
       ascii_only=st.booleans())
def test_the_whole_text_is_masked_as_each_string_would_be(document, secret: str, ascii_only: bool) -> None:
    from pusher_doctor.render.json import _redacted

    redact = Redactor(secret, keys=("key-1234567",))
    text = dumps({"d": document}, redact, ascii_only=ascii_only, compact=True)
    assert json.loads(text) == json.loads(json.dumps(_redacted({"d": document}, redact)))
    assert not ascii_only or text.isascii()
    assert "\x7f" not in text and "\u202e" not in text  # written as \u escapes, never raw

def test_an_escape_in_the_text_is_never_read_as_the_start_of_a_secret() -> None:
    # "\n" + "foo1234secret": masking the text would leave "\********", an invalid escape. (The 13
    # characters after the newline are a piece of the secret, and masked as one.)
    text = dumps({"message": "/x/\nfoo1234secret.md"}, Redactor("nfoo1234secret"))
    assert json.loads(text) == {"message": f"/x/\n{MASK}.md"}


def test_a_secret_json_would_escape_or_a_number_like_one_takes_the_per_string_path() -> None:
    from pusher_doctor.render.json import _masked_alike_in_text

    assert _masked_alike_in_text(Redactor("f00dfeed-5ecret-value", keys=("key-1234567",)))
    assert not _masked_alike_in_text(Redactor("1234")) and not _masked_alike_in_text(Redactor('quo"ted'))
    document = {"n": 1234, "s": 'x quo"ted-secret y'}
    assert json.loads(dumps(document, Redactor("1234"))) == {"n": 1234, "s": 'x quo"ted-secret y'}
    assert json.loads(dumps(document, Redactor('quo"ted-secret')))["s"] == f"x {MASK} y"


# --- the watch's records written by orjson are the standard encoder's text, byte for byte ---------------

_ANY_VALUE = st.recursive(
    st.one_of(_TEXT, st.text(max_size=6), st.integers(), st.floats(), st.booleans(), st.none(),
              st.sampled_from(["\ud800", "a\udfffb", 2**64, -(2**63) - 1, 2**63 - 1, 1e16, 1.5e-7, -0.0])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner),
                            st.dictionaries(st.one_of(_TEXT, st.integers(0, 3), st.none(), st.booleans()), inner,
                                            max_size=3)),
    max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(document=_ANY_VALUE, secret=st.sampled_from(["f00dfeed-5ecret-value", "1234", None]),
       ascii_only=st.booleans())
def test_the_fast_compact_encoder_writes_the_standard_encoders_text(document, secret: str | None,
                                                                     ascii_only: bool) -> None:
    from pusher_doctor.render.json import fast_compact_encoder

    redact = Redactor(secret) if secret else Redactor()
    record = {"type": "event", "data": document}
    assert dumps(record, redact, ascii_only=ascii_only, compact=True, encode=fast_compact_encoder(only_plain)) == \
        dumps(record, redact, ascii_only=ascii_only, compact=True)


def test_the_fast_compact_encoder_is_orjson_where_it_agrees() -> None:
    from pusher_doctor.render.json import fast_compact_encoder

    assert only_plain({"id": 1, "m": ["a", None, True, {"x": "y"}]})
    assert not only_plain({"at": 1.5}) and not only_plain(("t",)) and not only_plain([[[1e16]]])
    # a key that is not a string is not looked at: orjson refuses it, and the standard encoder writes it
    assert fast_compact_encoder(only_plain)({1: "x", "y": {None: 2}}) == '{"1":"x","y":{"null":2}}'


@settings(max_examples=400, deadline=None)
@given(data=_ANY_VALUE, text=_TEXT, message_id=st.one_of(st.none(), _TEXT), expected=st.booleans(),
       at=st.floats(0, 4e9), notice=st.booleans(), secret=st.sampled_from(["f00dfeed-5ecret-value", None]))
def test_a_watch_record_looked_through_only_at_its_data_is_the_standard_encoders_text(
        data, text: str, message_id: str | None, expected: bool, at: float, notice: bool, secret: str | None) -> None:
    """The watch's encoder looks for floats only in a record's `data`: every other field of an event's or a
    notice's record is a string, a boolean or None."""
    from pusher_doctor.render.json import fast_compact_encoder
    from pusher_doctor.render.watch import SERVER_DATA, record
    from pusher_doctor.triage.model import WatchEvent, WatchNotice

    item = (WatchNotice(at, "error", text, message_id, message_id) if notice
            else WatchEvent(at, text, text, message_id, message_id, text, expected, data))
    redact = Redactor(secret) if secret else Redactor()
    assert dumps(record(item), redact, compact=True, encode=fast_compact_encoder(only_plain, SERVER_DATA)) == \
        dumps(record(item), redact, compact=True)


@settings(max_examples=400, deadline=None)
@given(data=_ANY_VALUE, encodings=st.integers(0, 2), secret=st.sampled_from(["f00dfeed-5ecret-value", None]),
       ascii_only=st.booleans())
def test_a_watch_event_written_with_its_parsers_answer_is_the_standard_encoders_text(
        data, encodings: int, secret: str | None, ascii_only: bool) -> None:
    """The watch hands the encoder what parsing an event's data found (`WatchEvent.plain`) instead of having
    it look through the data again: the line is still the standard encoder's, however the server sent the
    data (a value, JSON text, JSON text encoded again)."""
    from pusher_doctor.protocol.guest import ChannelEvent
    from pusher_doctor.render.json import dumps_lines, fast_compact_encoder
    from pusher_doctor.render.watch import SERVER_DATA, record
    from pusher_doctor.triage.watch import describe

    sent = data
    for _ in range(encodings):
        try:
            sent = json.dumps(sent)
        except (TypeError, ValueError):  # a key or a value JSON cannot hold: sent as the value itself
            break
    event = describe(ChannelEvent("h-room-1-chat", "new-staff-message", sent, 0.0), 0.0)
    redact = Redactor(secret) if secret else Redactor()
    encode = fast_compact_encoder(only_plain, SERVER_DATA)
    assert dumps_lines([record(event)], redact, ascii_only, encode, [event.plain]) == \
        dumps(record(event), redact, ascii_only=ascii_only, compact=True) + "\n"


def test_the_fast_compact_encoder_writes_data_nested_hundreds_deep_as_the_standard_one_does() -> None:
    """An event's data as a hostile server may send it: the float check recursed past Python's limit, and the
    watch ended with a traceback."""
    from pusher_doctor.protocol.fast_json import loads
    from pusher_doctor.render.json import fast_compact_encoder

    record = {"data": loads("[" * 400 + "]" * 400)}
    redact = Redactor()
    assert dumps(record, redact, compact=True, encode=fast_compact_encoder(only_plain)) == dumps(record, redact, compact=True)


# --- the watch's records written many at once are the lines each would be alone --------------------------

@settings(max_examples=400, deadline=None)
@given(documents=st.lists(_ANY_VALUE, max_size=6),
       secret=st.sampled_from(["f00dfeed-5ecret-value", "1234", '}\n{"d', "e-value", None]),
       ascii_only=st.booleans(), fast=st.booleans())
def test_records_written_at_once_are_each_records_own_line(documents: list, secret: str | None, ascii_only: bool,
                                                            fast: bool) -> None:
    """The one test of the whole text stands for each line's: masking, mending or escaping in any one of them,
    and the per-string path (a secret JSON escapes), take each line as `dumps` writes it alone."""
    from pusher_doctor.render.json import dumps_lines, fast_compact_encoder

    redact = Redactor(secret, keys=("key-1234567",)) if secret else Redactor()
    records = [{"type": "event", "d": document} for document in documents]
    encode = fast_compact_encoder(only_plain) if fast else None
    assert dumps_lines(records, redact, ascii_only, encode) == "".join(
        dumps(record, redact, ascii_only=ascii_only, compact=True, encode=encode) + "\n" for record in records)


def test_one_record_to_mask_among_clean_ones_is_masked_and_the_others_left_as_they_are() -> None:
    from pusher_doctor.render.json import dumps_lines

    records = [{"type": "a"}, {"type": "b", "text": "x f00dfeed-5ecret-value y"}, {"type": "c"}]
    assert dumps_lines(records, Redactor("f00dfeed-5ecret-value")) == \
        f'{{"type":"a"}}\n{{"type":"b","text":"x {MASK} y"}}\n{{"type":"c"}}\n'


def _no_constant(word: str) -> float:
    raise ValueError(f"{word} is not JSON")


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("secret", [None, "a-secret-of-some-length"])
def test_a_number_json_cannot_hold_is_written_as_null(compact: bool, secret: str | None) -> None:
    document = {"event": {"data": {"id": float("nan"), "at": [float("inf"), -float("inf"), 1.5]}}, "n": 2}
    text = dumps(document, Redactor(secret), compact=compact)
    assert json.loads(text, parse_constant=_no_constant) == {"event": {"data": {"id": None, "at": [None, None, 1.5]}},
                                                             "n": 2}
