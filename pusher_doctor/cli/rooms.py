"""`pusher-doctor rooms`: a hotel's occupied room and conversation channels now, and one room's sentence.

Also holds the settings options the triage commands (rooms, watch, trigger, latency) share with `check`,
and the one function that turns them into a connection or a usage error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, app
from pusher_doctor.cli.output import Output
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.triage.connect import Connection

#: the triage commands' JSON documents are numbered on their own (see render/triage_text.py)
TRIAGE_SCHEMA = 1

HotelOption = Annotated[str, typer.Option(help="Hotel slug, as in the backend's channel names (hotel-paradise).")]
EnvFileOption = Annotated[Path | None, typer.Option(
    "--env-file", help="The backend's env file (python-dotenv). Default: ./.env when it exists.")]
AppIdOption = Annotated[str | None, typer.Option(help="App id (else PUSHER_APP_ID).")]
KeyOption = Annotated[str | None, typer.Option(help="App key (else PUSHER_KEY or PUSHER_APP_KEY).")]
SecretOption = Annotated[str | None, typer.Option(
    help="App secret (else PUSHER_SECRET or PUSHER_APP_SECRET). Never shown in any output.")]
ClusterOption = Annotated[str | None, typer.Option(
    help="Pusher cloud cluster, e.g. eu (else PUSHER_CLUSTER or PUSHER_APP_CLUSTER; default mt1).")]
HostOption = Annotated[str | None, typer.Option(
    help="Self-hosted server (soketi, Reverb) host name (else PUSHER_HOST); replaces the cluster.")]
PortOption = Annotated[str | None, typer.Option(help="Self-hosted server port (else PUSHER_PORT).")]
SchemeOption = Annotated[str | None, typer.Option(help="http or https for a self-hosted server (else PUSHER_SCHEME).")]


def connect_or_exit(out: Output, env_file: Path | None, options: dict[str, str | None],
                    needs_secret: str | None) -> tuple[Output, Connection]:
    """The settings as a connection, and an output that masks their secret; a usage error (exit 2) when
    they are unusable. `needs_secret` says why the command needs the secret, or None when the key is enough."""
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings
    from pusher_doctor.triage.connect import resolve

    try:
        loaded = load_settings(options, env_file=env_file, env_file_required=env_file is not None)
        clusters = ClusterDirectory.from_environ(os.environ)
    except EnvFileError as error:
        out.usage_error(str(error), "give --env-file the path of the backend's .env, or leave it out")
    except ClusterHostsError as error:
        out.usage_error(str(error), "unset it to use Pusher cloud's hosts")
    out = out.with_settings(loaded)
    resolved = resolve(loaded, needs_secret is not None, clusters)
    if not hasattr(resolved, "target"):
        why = f" ({needs_secret})" if needs_secret and resolved.about in ("secret", "app_id") else ""
        out.usage_error(f"{resolved.summary}{why} [{resolved.cause}]", resolved.hint)
    return out, resolved


def channel_or_exit(out: Output, name: str) -> str:
    """The channel name, or a usage error when Pusher would refuse it."""
    from pusher_doctor.hotel_chat import channel_name_problem
    from pusher_doctor.results import problem

    reason = channel_name_problem(name)
    if reason is not None:
        invalid = problem("invalid-channel-name", reason)
        out.usage_error(f"{invalid.summary} [{invalid.cause}]", invalid.hint)
    return name


@app.command()
def rooms(
    hotel: HotelOption,
    room: Annotated[str | None, typer.Option(
        help="Also say, in a sentence, whether a guest page is on this room's channel, naming near misses.")] = None,
    env_file: EnvFileOption = None,
    app_id: AppIdOption = None,
    key: KeyOption = None,
    secret: SecretOption = None,
    cluster: ClusterOption = None,
    host: HostOption = None,
    port: PortOption = None,
    scheme: SchemeOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
) -> None:
    """List the hotel's occupied room and conversation channels now, with subscriber counts.

    One signed REST request with the channel-prefix filter, however many rooms the hotel has (needs
    the app secret). With --room: a sentence about that room; when it is empty but a channel with
    almost its name is occupied (rooms for room, _ for -, capitals, no -chat, a typo), that near miss
    is named (cause channel-near-miss). Exit code 0; 1 when a near miss is found; 2 usage error.

    \b
    Examples:
      pusher-doctor rooms --hotel hotel-paradise
      pusher-doctor rooms --hotel hotel-paradise --room 101
      pusher-doctor rooms --hotel hotel-paradise --json | jq '.channels[].name'
    """
    from pusher_doctor.hotel_chat import room_channel
    from pusher_doctor.protocol.rest import RestClient
    from pusher_doctor.render.rooms import rooms_to_dict, show_rooms
    from pusher_doctor.render.triage_text import problem_document, show_problem, terminal, write_document
    from pusher_doctor.results import Problem
    from pusher_doctor.triage.rooms import survey_rooms

    out = Output(json_output, False, secret, schema=TRIAGE_SCHEMA)
    channel_or_exit(out, room_channel(hotel, room) if room is not None else hotel + "-")
    out, conn = connect_or_exit(out, env_file, {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster,
                                                "host": host, "port": port, "scheme": scheme},
                                needs_secret="listing channels is a signed REST call")
    assert conn.app_id is not None and conn.secret is not None
    report = survey_rooms(RestClient(conn.target.rest, conn.app_id, conn.key, conn.secret), hotel, room, timeout)
    if isinstance(report, Problem):
        if json_output:
            write_document(problem_document(report), out.redact)
        else:
            show_problem(terminal(out.redact), report)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)
    if json_output:
        write_document(rooms_to_dict(report), out.redact)
    else:
        show_rooms(terminal(out.redact), report)
    raise typer.Exit(ExitCode.PROBLEMS_FOUND if report.near_misses else ExitCode.OK)
