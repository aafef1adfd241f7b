"""`pusher-doctor watch`: the Pusher dashboard's Debug Console in a terminal, with the key alone."""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor.cli.app import app
from pusher_doctor.cli.common import (
    AppIdOption,
    ClusterOption,
    EnvFileOption,
    HostOption,
    KeyOption,
    PortOption,
    SchemeOption,
    SecretOption,
    channel_or_exit,
    connect_or_exit,
)
from pusher_doctor.cli.output import Output
from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
from pusher_doctor.results import ExitCode


@app.command()
def watch(
    hotel: Annotated[str | None, typer.Option(help="Hotel slug, as in the backend's channel names.")] = None,
    room: Annotated[str | None, typer.Option(help="Watch this room's channel ({hotel}-room-{room}-chat).")] = None,
    conversation: Annotated[str | None, typer.Option(
        help="Watch this conversation's channel ({hotel}-conversation-{id}-chat).")] = None,
    channel: Annotated[list[str] | None, typer.Option(
        "--channel", help="Watch this channel by name (repeatable).")] = None,
    all_rooms: Annotated[bool, typer.Option(
        "--all-rooms", help="Watch every occupied channel of the hotel, and those that become occupied "
                            "(lists them through the REST API: needs the secret).")] = False,
    duration: Annotated[float | None, typer.Option(
        min=0.1, help="Seconds to watch; default until Ctrl-C. Either way a summary follows.")] = None,
    env_file: EnvFileOption = None,
    app_id: AppIdOption = None,
    key: KeyOption = None,
    secret: SecretOption = None,
    cluster: ClusterOption = None,
    host: HostOption = None,
    port: PortOption = None,
    scheme: SchemeOption = None,
    json_output: Annotated[bool, typer.Option(
        "--json", help="JSON Lines on stdout, one record per event or notice, flushed at once; then a summary.")]
        = False,
) -> None:
    """Show the events on the hotel's channels as they arrive, like the dashboard's Debug Console.

    Each line: time, channel, event, message id, sender type and an excerpt of the data, coloured by
    event; an event the backend never sends on that channel is marked. Subscription answers, drops and
    reconnections are shown (events sent while disconnected are lost: Pusher keeps no history). Ends at
    --duration or Ctrl-C with a summary: events per channel, gaps, and for each message id which of the
    backend's three events arrived. Needs only the app key, except --all-rooms (REST: the secret).
    Exit code 0; 1 when the connection or a subscription failed; 130 after Ctrl-C.

    \b
    Examples:
      pusher-doctor watch --hotel hotel-paradise --room 101 --conversation 45
      pusher-doctor watch --hotel hotel-paradise --all-rooms --duration 60
      pusher-doctor watch --channel hotel-paradise-room-101-chat --json | jq -c 'select(.type=="event")'
    """
    from pusher_doctor.cli.signals import interrupted_exit_code
    from pusher_doctor.hotel_chat import conversation_channel, room_channel
    from pusher_doctor.protocol.rest import RestClient
    from pusher_doctor.render.triage_text import problem_document, show_problem, terminal, write_json_line
    from pusher_doctor.render.watch import WatchConsole, record, summary_record
    from pusher_doctor.triage.watch import Watch, WatchRequest

    out = Output(json_output, False, secret, schema=TRIAGE_SCHEMA)
    if (room or conversation or all_rooms) and not hotel:
        out.usage_error("--room, --conversation and --all-rooms need --hotel", "add --hotel SLUG")
    channels = list(channel or [])
    if hotel and room:
        channels.append(room_channel(hotel, room))
    if hotel and conversation:
        channels.append(conversation_channel(hotel, conversation))
    if not channels and not all_rooms:
        out.usage_error("nothing to watch", "give --hotel with --room, --conversation or --all-rooms, or --channel NAME")
    for name in channels:
        channel_or_exit(out, name)
    options = {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster, "host": host, "port": port,
               "scheme": scheme}
    out, conn = connect_or_exit(out, env_file, options,
                                needs_secret="--all-rooms lists the hotel's channels with a signed REST call"
                                if all_rooms else None)
    rest = None
    if all_rooms:
        assert conn.app_id is not None and conn.secret is not None
        rest = RestClient(conn.target.rest, conn.app_id, conn.key, conn.secret)
    term = None if json_output else terminal(out.redact)
    console = WatchConsole(term) if term is not None else None

    def emit(item: object) -> None:
        if console is not None:
            console.show(item)  # type: ignore[arg-type]
        else:
            write_json_line(record(item), out.redact)  # type: ignore[arg-type]

    request = WatchRequest(tuple(channels), hotel if all_rooms else None, duration)
    session = Watch(conn.target.ws, conn.key, request, emit, rest)
    try:
        failed = session.start()
    except KeyboardInterrupt:
        session.close()
        raise typer.Exit(interrupted_exit_code()) from None
    if failed is not None:
        if term is not None:
            show_problem(term, failed)
        else:
            write_json_line(problem_document(failed), out.redact)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)
    if term is not None:
        term.line(("watching; Ctrl-C ends with a summary" if duration is None else f"watching for {duration:g} s",
                   "dim"))
    summary = session.run()
    if console is not None:
        console.summary(summary)
    else:
        write_json_line(summary_record(summary), out.redact)
    if summary.interrupted:
        raise typer.Exit(interrupted_exit_code())
    raise typer.Exit(ExitCode.PROBLEMS_FOUND if session.refused else ExitCode.OK)
