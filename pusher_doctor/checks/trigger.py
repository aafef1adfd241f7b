"""Step 7: send the test staff message exactly as the backend does (unless a live guest would see it); with
--via-backend the backend itself sends it, through its own runtime and SDK."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace

from pusher_doctor.checks.context import CheckContext, TriggeredEvent
from pusher_doctor.config.secret import Secret
from pusher_doctor.guard import guest_consents
from pusher_doctor.hotel_chat import (
    NEAR_LIMIT_SHARE,
    PUSHER_DATA_LIMIT,
    PlannedEvent,
    build_payloads,
    data_size,
    new_probe_id,
)
from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.results import Outcome, Problem, failed, passed, problem, skipped, warned

if TYPE_CHECKING:  # the backend's runner is imported only by a run with --via-backend
    from pusher_doctor.protocol.via_backend import Backend


def _guest_consents(ctx: CheckContext) -> str | None:
    assert ctx.plan is not None
    asked_at = time.monotonic()
    refusal = guest_consents(ctx.live_subscribers, ctx.plan.room, "the test message", ctx.request.assume_yes,
                             ctx.request.confirm)
    # The person's thinking time is not the server's: give it back to the run's budget.
    ctx.deadline.extend(time.monotonic() - asked_at)
    return refusal


def _rest_for(ctx: CheckContext, channels: list[str]) -> RestClient | Problem:
    """The REST client to trigger with: on private-encrypted- channels one holding the master key, so that
    the library encrypts as the backend's does."""
    assert ctx.rest is not None
    value = ctx.loaded.value("encryption_master_key")
    return ctx.rest.for_channels(channels, Secret(value) if value is not None else None)


def check_trigger(ctx: CheckContext) -> Outcome:
    assert ctx.rest is not None and ctx.plan is not None
    refusal = _guest_consents(ctx)
    if refusal is not None:
        return skipped(refusal)
    request = ctx.request
    ctx.probe_id = new_probe_id()
    payloads = build_payloads(ctx.plan, request.hotel, request.room, request.conversation, ctx.probe_id,
                              request.message_text)
    largest = max(data_size(data) for data in payloads.values())
    if request.via_backend is not None:
        return _through_backend(ctx, request.via_backend, payloads, largest)
    rest = _rest_for(ctx, [planned.channel for planned in payloads])
    if isinstance(rest, Problem):
        return failed(rest)
    sent = []
    for planned, data in payloads.items():
        ctx.triggered.append(TriggeredEvent(planned.channel, planned.event, time.monotonic()))
        answer = rest.trigger(planned.channel, planned.event, data, ctx.deadline.remaining())
        if not isinstance(answer, RestSuccess):
            ctx.triggered.pop()
            refused = replace(answer, summary=f"{planned.event} on {planned.channel}: {answer.summary}")
            return failed(refused, *sent, f"test payload: {largest} bytes")
        sent.append(f"{planned.event} on {planned.channel}: accepted in {answer.elapsed_ms:.0f} ms")
    summary = f"{len(sent)} event(s) accepted, probe {ctx.probe_id}"
    if largest > PUSHER_DATA_LIMIT * NEAR_LIMIT_SHARE:
        near = problem("payload-too-large",
                       summary + f"; the message is {largest} bytes, "
                                 f"{'over' if largest > PUSHER_DATA_LIMIT else 'near'} Pusher's {PUSHER_DATA_LIMIT}-byte limit",
                       "send the message id and let the page fetch the text, or cap message length in the backend")
        return warned(near, *sent, probe=ctx.probe_id, largest_bytes=largest)
    return passed(summary, *sent, f"largest payload: {largest} bytes", probe=ctx.probe_id, largest_bytes=largest)


#: the class names of Laravel's broadcasters that send nothing (the `log` and `null` broadcasters)
_SILENT_BROADCASTERS = ("LogBroadcaster", "NullBroadcaster")


def _through_backend(ctx: CheckContext, backend: Backend, payloads: dict[PlannedEvent, dict[str, Any]],
                     largest: int) -> Outcome:
    """The test message sent by the backend's own runtime in one run; its error named by its cause."""
    from pusher_doctor.protocol.via_backend import BackendSent, send_through

    sent_at = time.monotonic()
    for planned in payloads:
        ctx.triggered.append(TriggeredEvent(planned.channel, planned.event, sent_at))
    answer = send_through(backend, [(p.channel, p.event, data) for p, data in payloads.items()],
                          ctx.deadline.remaining())
    if isinstance(answer, Problem):
        ctx.triggered.clear()
        if not answer.cause.startswith("backend-"):
            # rest-api passed with pusher-doctor's settings: what differs is the backend's own
            fix = f"in the backend's own settings (pusher-doctor's reached the server): {answer.hint.text}"
            answer = replace(answer, hint=replace(answer.hint, text=fix))
        return failed(answer, f"backend: {backend.directory} ({backend.label})", f"test payload: {largest} bytes")
    assert isinstance(answer, BackendSent)
    lines = [f"backend: {backend.directory} ({backend.label}), {answer.broadcaster}",
             *(f"{event} on {channel}: sent by the backend" for channel, event in answer.sent),
             "latency below includes the backend's start"]
    if answer.broadcaster is not None and answer.broadcaster.endswith(_SILENT_BROADCASTERS):
        return failed(problem("broadcaster-disabled", f"the backend's broadcaster is {answer.broadcaster}: it sends "
                              "nothing to Pusher or Reverb"), *lines)
    return passed(f"{len(answer.sent)} event(s) sent by the backend in {answer.elapsed_ms:.0f} ms, probe "
                  f"{ctx.probe_id}", *lines, probe=ctx.probe_id, largest_bytes=largest, via_backend=backend.kind)
