"""`pusher-doctor check`: the delivery checklist against the app in the backend's settings."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, VerboseOption, app
from pusher_doctor.cli.output import Output
from pusher_doctor.hotel_chat import TEST_MESSAGE


def _http_or_https(value: str | None) -> str | None:
    # A usage error, not a failed check: the value is the user's own typo. Not quoted back (it could be
    # a secret pasted into the wrong option).
    if value is not None and value.lower() not in ("http", "https"):
        raise typer.BadParameter("must be http or https")
    return value


@app.command()
def check(
    hotel: Annotated[str, typer.Option(help="Hotel slug, as in the backend's channel names (hotel-paradise).")],
    room: Annotated[str, typer.Option(help="Room number of the guest page (101).")],
    conversation: Annotated[str | None, typer.Option(
        help="Conversation id: also checks new-message and message-delivered on its channel.")] = None,
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", help="The backend's env file (python-dotenv). Default: ./.env when it exists.")] = None,
    app_id: Annotated[str | None, typer.Option(help="App id (else PUSHER_APP_ID).")] = None,
    key: Annotated[str | None, typer.Option(help="App key (else PUSHER_KEY or PUSHER_APP_KEY).")] = None,
    secret: Annotated[str | None, typer.Option(
        help="App secret (else PUSHER_SECRET or PUSHER_APP_SECRET). Never shown in any output.")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Pusher cloud cluster, e.g. eu (else PUSHER_CLUSTER or PUSHER_APP_CLUSTER; default mt1).")] = None,
    host: Annotated[str | None, typer.Option(
        help="Self-hosted server (soketi, Reverb) host name (else PUSHER_HOST); replaces the cluster.")] = None,
    port: Annotated[str | None, typer.Option(help="Self-hosted server port (else PUSHER_PORT).")] = None,
    scheme: Annotated[str | None, typer.Option(
        callback=_http_or_https, help="http or https for a self-hosted server (else PUSHER_SCHEME).")] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Send the test message even when a live guest is subscribed, without asking.")] = False,
    message: Annotated[str, typer.Option(
        help="Text of the test message; paste a long real message to test Pusher's 10 KB limit.")] = TEST_MESSAGE,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the delivery checklist against the app in the backend's settings and name the broken link.

    Settings come from the options, then the environment, then the env file. Steps: settings, channel
    names, REST API, WebSocket, live guest, subscribe, trigger the backend's three events, delivery.
    """
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings

    started_at = time.monotonic()  # the budget covers reading the env file too
    options = {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster,
               "host": host, "port": port, "scheme": scheme}
    out = Output(json_output, verbose, secret)
    try:
        loaded = load_settings(options, env_file=env_file, env_file_required=env_file is not None)
        clusters = ClusterDirectory.from_environ(os.environ)
    except EnvFileError as error:
        out.usage_error(str(error), "give --env-file the path of the backend's .env, or leave it out")
    except ClusterHostsError as error:
        out.usage_error(str(error), "unset it to use Pusher cloud's hosts")
    request = CheckRequest(hotel, room, conversation, timeout, assume_yes=yes, message_text=message,
                           clusters=clusters, started_at=started_at)
    raise typer.Exit(out.with_settings(loaded).check(request, loaded))
