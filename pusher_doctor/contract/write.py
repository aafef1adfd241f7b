"""A contract as the text of a pusher-doctor.toml, with comments saying where each part came from.

tomlkit writes the TOML (quoting and escaping included) and keeps the comments; it is imported only here,
which only `pusher-doctor init` loads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from pusher_doctor.contract.model import Contract

HEADER = (
    "pusher-doctor's app contract: the channels your backend triggers on, the events it sends on each,",
    "and where the auth endpoint and the env file are. Every pusher-doctor command reads it from here",
    "or a parent folder (or --contract FILE). A {name} in a template is a field: each command asks for its value.",
)


def contract_to_toml(contract: Contract, base: Path, notes: Mapping[str, Sequence[str]] | None = None,
                     header: Sequence[str] = HEADER) -> str:
    """The contract's TOML; `base` is the folder the file goes to (the env file is written relative to it),
    `notes` holds comment lines per channel key ("" for the top of the file, after `header`)."""
    import tomlkit

    notes = notes or {}
    document = tomlkit.document()
    for line in (*header, *notes.get("", ())):
        document.add(tomlkit.comment(_one_line(line)))
    document.add(tomlkit.nl())
    if contract.recipient != contract.channels[0].key:
        document.add("recipient", contract.recipient)
    if contract.env_file is not None:
        document.add("env-file", _relative(contract.env_file, base))
    if contract.auth_endpoint is not None:
        document.add("auth-endpoint", contract.auth_endpoint)
    if contract.probe_channel is not None:
        document.add("probe-channel", contract.probe_channel)
    channels = tomlkit.table(is_super_table=True)
    for channel in contract.channels:
        table = tomlkit.table()
        for line in notes.get(channel.key, ()):
            table.add(tomlkit.comment(_one_line(line)))
        table.add("template", channel.template.text)
        table.add("events", list(channel.event_names))
        payload = {event.name: list(event.payload) for event in channel.events if event.payload}
        if payload:
            keys = tomlkit.table()
            for name, fields in payload.items():
                keys.add(name, fields)
            table.add("payload", keys)
        channels.add(channel.key, table)
    document.add("channels", channels)
    return tomlkit.dumps(document)


def _relative(path: Path, base: Path) -> str:
    """`path` as the file in `base` names it: relative when it can be, with forward slashes."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


def _one_line(note: str) -> str:
    """A note as a comment may hold it: a file name from the scanned tree may carry a line break or a
    control character, which would end the comment and start TOML of its own."""
    return "".join(char if char.isprintable() else "?" for char in note)
