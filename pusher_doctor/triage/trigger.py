"""`trigger`: send one event, the backend's staff message by default, after asking whether a real guest
is on the channel (a guest would see it, as with `check`'s trigger step)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pusher_doctor.contract import HOTEL_CHAT, Contract
from pusher_doctor.hotel_chat import build_payloads, data_size, new_probe_id, plan_channels
from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.results import Problem
from pusher_doctor.triage.model import SentEvent, TriggerReport

#: Pusher's limit on an event name
EVENT_NAME_MAX = 200


@dataclass(frozen=True)
class PlannedTrigger:
    channel: str
    event: str
    data: dict[str, Any] | str


def staff_message(hotel: str | None, room: str | None, conversation: str | None, text: str,
                  contract: Contract = HOTEL_CHAT, fields: Mapping[str, str] | None = None
                  ) -> tuple[list[PlannedTrigger], str, str]:
    """The backend's events for one message as the contract names them (the hotel chat's: the room's; with a
    conversation, its two too), the probe id, and the recipient's channel."""
    plan = plan_channels(hotel, room, conversation, contract=contract, fields=fields)
    probe = new_probe_id()
    payloads = build_payloads(plan, hotel, room, conversation, probe, text)
    return [PlannedTrigger(p.channel, p.event, data) for p, data in payloads.items()], probe, plan.room


def parse_data(raw: str) -> dict[str, Any] | str:
    """DATA as given: a JSON object is sent as JSON, anything else as the text itself."""
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        return raw
    return parsed if isinstance(parsed, dict) else raw


def event_name_problem(event: str) -> str | None:
    if not event:
        return "the event name is empty"
    if len(event) > EVENT_NAME_MAX:
        return f"the event name is {len(event)} characters long; Pusher allows {EVENT_NAME_MAX}"
    return None


def send(rest: RestClient, planned: list[PlannedTrigger], timeout: float, subscribers: int | None,
         probe: str | None = None) -> TriggerReport | Problem:
    """Sends each event in order; the first refusal stops it (the problem names the event)."""
    sent = []
    for item in planned:
        answer = rest.trigger(item.channel, item.event, item.data, timeout)
        if not isinstance(answer, RestSuccess):
            return Problem(answer.cause, f"{item.event} on {item.channel}: {answer.summary}", answer.hint, answer.about)
        size = data_size(item.data) if isinstance(item.data, dict) else len(item.data.encode("utf-8"))
        sent.append(SentEvent(item.channel, item.event, size, answer.elapsed_ms))
    return TriggerReport(tuple(sent), subscribers, probe)
