"""The contract as the backend's code shows it: the channels it sends on and the events it sends on each.

The backend is the side that names what is sent, so its channels and events are the contract's ground
truth where the frontend's code is silent or disagrees. It reads the facts through scan-backend's engine
(`pusher_doctor.backend.read_backend`: Laravel event classes with `broadcastOn`/`broadcastAs`, and the
Python and Node server SDKs' `trigger(...)` calls), never running the app's code.
"""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.infer.frontend import template_of
from pusher_doctor.infer.model import Inferred


def infer_backend(root: Path) -> Inferred:
    """What the PHP, Python and Node server code under `root` sends. A folder with no backend code says
    nothing (an empty `Inferred`), never an error."""
    from pusher_doctor.backend import read_backend
    from pusher_doctor.scan import ScanInputError

    found = Inferred(f"the backend in {root}", sends=True)
    try:
        backend = read_backend(root)
    except ScanInputError as error:
        found.notes.append(f"the backend was not read: {error}")
        return found
    for event in backend.events:
        wire_name = event.wire_name
        if wire_name is None:
            found.notes.append(f"{event.location.file}:{event.location.line} {event.name}'s broadcastAs() returns "
                               "a name the scan cannot read (left out)")
            continue
        for sent in event.channels:
            _add(found, template_of(sent.name), wire_name, f"{sent.location.file}:{sent.location.line}",
                 sent.name.display())
    for trigger in backend.triggers:
        event_name = trigger.event.literal
        where = f"{trigger.location.file}:{trigger.location.line}"
        if event_name is None:
            found.notes.append(f"{where} triggers an event named {trigger.event.display()!r}, which is not a "
                               "fixed name (left out)")
            continue
        for channel in trigger.channels:
            _add(found, template_of(channel), event_name, where, channel.display())
    return found


def _add(found: Inferred, template: str | None, event: str, where: str, shown: str) -> None:
    if template is None:
        found.notes.append(f"{where} sends on {shown!r}, which is not a channel template (left out)")
        return
    channel = found.channel(template)
    channel.add_event(event)
    if where not in channel.seen_at:
        channel.seen_at.append(where)
