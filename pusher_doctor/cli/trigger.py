"""`pusher-doctor trigger`: send one event, the backend's staff message by default, guarded like `check`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, commands
from pusher_doctor.cli.common import (
    NO_SERVER_OPTIONS,
    ContractOption,
    EncryptionKeyOption,
    FieldOption,
    ServerOptions,
    channel_or_exit,
    connect_or_exit,
    consented_or_exit,
    contract_or_exit,
    fields_or_exit,
    recipient_fields_or_exit,
    text_or_exit,
    with_contract_env,
    with_option_groups,
)
from pusher_doctor.hotel_chat import TEST_MESSAGE

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output

#: bytes read from stdin for DATA `-`: far above Pusher's 10 KB, so the server's own limit is what refuses
STDIN_LIMIT = 1 << 20


EXAMPLES = """\b
Examples:
  pusher-doctor trigger --hotel hotel-paradise --room 101
  pusher-doctor trigger --hotel h --room 101 --conversation 45 \\
    --message "Towels are on the way"
  pusher-doctor trigger h-room-101-chat new-staff-message \\
    '{"id": 1, "message": "hi"}' --yes
  echo '{"id": 2}' | pusher-doctor trigger h-room-101-chat \\
    new-staff-message - --yes
"""


@commands.command(epilog=EXAMPLES, short_help="Send the staff message, or any event on any channel.")
@with_option_groups
def trigger(
    target: Annotated[list[str] | None, typer.Argument(
        metavar="[CHANNEL EVENT [DATA | -]]",
        help="The general form: any event on any channel; DATA is JSON or text, - reads it from stdin.")] = None,
    hotel: Annotated[str | None, typer.Option(help="Hotel slug: sends the backend's staff message to a room.")] = None,
    room: Annotated[str | None, typer.Option(help="Room number of the guest page.")] = None,
    conversation: Annotated[str | None, typer.Option(
        help="Also send new-message and message-delivered on this conversation's channel.")] = None,
    message: Annotated[str, typer.Option(help="Text of the staff message.")] = TEST_MESSAGE,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Send even when a live guest is subscribed, without asking.")] = False,
    server: ServerOptions = NO_SERVER_OPTIONS,
    encryption_master_key: EncryptionKeyOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
    contract_file: ContractOption = None,
    field: FieldOption = None,
) -> None:
    """Send one event: the backend's staff message to a room, or any event on any channel.

    With --hotel and --room: new-staff-message on the room channel exactly as the backend sends it
    (with --conversation also new-message and message-delivered), marked as a pusher-doctor test with
    a probe id. With an app contract (pusher-doctor.toml), its events on its recipient channel, whose
    fields take --field NAME=VALUE (and --hotel, --room, --conversation). Before sending, asks the REST API who is on the channel: a live guest would see it, so
    on a terminal you are asked; elsewhere it is sent only with --yes. Needs the app secret (REST).
    Exit code 0 sent; 1 refused or not sent; 2 usage error.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.render.trigger import show_trigger, trigger_to_dict
    from pusher_doctor.results import Problem
    from pusher_doctor.triage.trigger import (
        PlannedTrigger,
        event_name_problem,
        parse_data,
        send,
        staff_message,
    )

    out = Output(json_output, False, server.secret, encryption_master_key, schema=TRIAGE_SCHEMA)
    args = [text_or_exit(out, f"argument {index}", arg) or "" for index, arg in enumerate(target or [], 1)]
    hotel, room, conversation, message = (text_or_exit(out, f"--{name}", value) for name, value in (
        ("hotel", hotel), ("room", room), ("conversation", conversation), ("message", message)))
    probe = None
    if args and (hotel or room or conversation or field):
        out.usage_error("give either CHANNEL EVENT [DATA] or --hotel/--room/--field, not both", "see --help")
    contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, contract, {"hotel": hotel, "room": room, "conversation": conversation})
    hotel, room, conversation = values.get("hotel"), values.get("room"), values.get("conversation")
    named = {name: value for name, value in values.items() if name not in ("hotel", "room", "conversation")}
    if args:
        if len(args) not in (2, 3):
            out.usage_error(f"expected CHANNEL EVENT [DATA | -], got {len(args)} argument(s)", "see --help")
        channel, event = channel_or_exit(out, args[0]), args[1]
        if (reason := event_name_problem(event)) is not None:
            out.usage_error(reason, "give the event name the page binds, e.g. new-staff-message")
        raw = args[2] if len(args) == 3 else "{}"
        if raw == "-" and sys.stdin is None:
            out.usage_error("DATA is - but stdin is closed", "pipe the data in, or give it as the argument")
        if raw == "-":
            raw = text_or_exit(out, "DATA from stdin", _stdin_within(out, timeout)) or ""
        if not raw.strip():
            # A server refuses an event with no data (soketi: HTTP 400), and `printf '' | trigger ... -` is
            # most likely a step before it that failed: said before anything is sent.
            out.usage_error(f"DATA is empty{' (nothing came on stdin)' if args[2] == '-' else ''}",
                            "give the event's data: JSON such as '{\"id\": 1}', or text; - reads it from stdin")
        planned = [PlannedTrigger(channel, event, parse_data(raw))]
        guarded = channel
    elif values and (not contract.is_builtin or (hotel and room)):
        recipient_fields_or_exit(out, contract, values)
        planned, probe, guarded = staff_message(hotel, room, conversation, message, contract, named)
        for item in [guarded, *(item.channel for item in planned)]:
            channel_or_exit(out, item)
    else:
        out.usage_error("nothing to send", "give --hotel and --room, or CHANNEL EVENT [DATA]")
    out, conn = connect_or_exit(out, with_contract_env(server, contract),
                                needs_secret="triggering is a signed REST call", encryption_master_key=encryption_master_key)
    rest = conn.rest().for_channels([item.channel for item in planned], conn.master_key)
    if isinstance(rest, Problem):  # a key the command line or environment must give, as a missing secret is
        out.usage_error(f"{rest.summary} [{rest.cause}]", "give the backend's master key: --encryption-master-key "
                                                          "BASE64 or PUSHER_ENCRYPTION_MASTER_KEY_BASE64")
    live = consented_or_exit(out, rest, guarded, "it", yes, timeout)
    raise typer.Exit(out.present(send(rest, planned, timeout, live, probe), show_trigger, trigger_to_dict))


def _stdin_within(out: Output, timeout: float) -> bytes:
    """DATA `-`: stdin up to STDIN_LIMIT bytes, all of it within --timeout (a writer that never closes the pipe
    would hold the run forever), else a usage error. A person typing at a terminal is waited for, as the
    consent question is."""
    import os
    import select
    import time

    from pusher_doctor.cli.output import is_tty

    try:
        descriptor = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # not a descriptor (input given in-process)
        descriptor = None
    if descriptor is None or is_tty(sys.stdin):
        return sys.stdin.buffer.read(STDIN_LIMIT)
    ends, chunks, size = time.monotonic() + timeout, [], 0
    while size < STDIN_LIMIT:
        left = ends - time.monotonic()
        if left <= 0 or not select.select([descriptor], [], [], left)[0]:
            out.usage_error(f"DATA is - but stdin did not end within --timeout {timeout:g} s",
                            "pipe data that ends (echo '{\"id\": 1}' | ...), or raise --timeout")
        chunk = os.read(descriptor, STDIN_LIMIT - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
