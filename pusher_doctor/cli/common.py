"""What several commands share: the settings options (one definition for check and the triage commands),
turning them into a connection or a usage error, a channel name Pusher would accept, and the live-guest
guard that asks before a real guest is sent anything."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
    from pusher_doctor.config.endpoints import ClusterDirectory
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.contract import Contract
    from pusher_doctor.render.terminal import TerminalReport
    from pusher_doctor.results import Problem
    from pusher_doctor.triage.connect import Connection


def _http_or_https(value: str | None) -> str | None:
    # A usage error, not a failed check: the value is the user's own typo. Not quoted back (it could be
    # a secret pasted into the wrong option).
    if value is not None and value.lower() not in ("http", "https"):
        raise typer.BadParameter("must be http or https")
    return value


EnvFileOption = Annotated[Path | None, typer.Option(
    "--env-file", metavar="PATH", help="The backend's env file (python-dotenv). Default: ./.env when it exists.")]
AppIdOption = Annotated[str | None, typer.Option(metavar="ID", help="App id (else PUSHER_APP_ID).")]
KeyOption = Annotated[str | None, typer.Option(metavar="KEY", help="App key (else PUSHER_KEY or PUSHER_APP_KEY).")]
SecretOption = Annotated[str | None, typer.Option(
    metavar="SECRET", help="App secret (else PUSHER_SECRET or PUSHER_APP_SECRET). Never shown in any output; "
                           "without it only the steps that need the key alone run.")]
ClusterOption = Annotated[str | None, typer.Option(
    metavar="CLUSTER", help="Pusher cloud cluster, e.g. eu (else PUSHER_CLUSTER or PUSHER_APP_CLUSTER; default mt1).")]
HostOption = Annotated[str | None, typer.Option(
    metavar="HOST", help="Self-hosted server (soketi, Reverb) host name (else PUSHER_HOST); replaces the cluster.")]
PortOption = Annotated[str | None, typer.Option(metavar="PORT", help="Self-hosted server port (else PUSHER_PORT).")]
SchemeOption = Annotated[str | None, typer.Option(
    metavar="http|https", callback=_http_or_https, help="http or https for a self-hosted server (else PUSHER_SCHEME).")]


ChannelPrefixOption = Annotated[str, typer.Option(
    metavar="PREFIX", help="Put private-, presence- or private-encrypted- before the guide's channel names.")]
RoomChannelOption = Annotated[str | None, typer.Option(
    metavar="TEMPLATE", help="The room channel's full name, e.g. 'private-{hotel}-room-{room}' "
                             "({hotel}, {room}, {conversation}).")]
ConversationChannelOption = Annotated[str | None, typer.Option(
    metavar="TEMPLATE", help="The conversation channel's full name, e.g. 'private-{hotel}-conv-{conversation}'.")]
AuthEndpointOption = Annotated[str | None, typer.Option(
    metavar="URL", help="The app's auth endpoint for private channels, as the page uses it; without it "
                        "pusher-doctor signs with the secret and the endpoint is not tested.")]
AuthHeaderOption = Annotated[list[str] | None, typer.Option(
    metavar="'NAME: VALUE'", help="A header the page sends to the auth endpoint (repeatable); never shown.")]
AuthCookieOption = Annotated[list[str] | None, typer.Option(
    metavar="NAME=VALUE", help="The guest's session cookie for the auth endpoint (repeatable); never shown.")]
OriginOption = Annotated[str | None, typer.Option(
    metavar="URL", help="The guest page's origin: checks the auth endpoint's CORS answer, resolves a relative "
                        "--auth-endpoint.")]
UserAuthEndpointOption = Annotated[str | None, typer.Option(
    metavar="URL", help="The app's user-authentication endpoint, when the page calls pusher.signin(): the "
                        "guest signs in with its answer (sign-in step). Takes --auth-header, --auth-cookie "
                        "and --origin too.")]
EncryptionKeyOption = Annotated[str | None, typer.Option(
    metavar="BASE64", help="Encryption master key for private-encrypted- channels (else "
                           "PUSHER_ENCRYPTION_MASTER_KEY_BASE64). Never shown.")]


ContractOption = Annotated[Path | None, typer.Option(
    "--contract", metavar="FILE", help="The app contract (channels, events, auth endpoint, env file). Default: "
                                       "pusher-doctor.toml or [tool.pusher-doctor] here or in a parent folder, "
                                       "else the hotel chat's.")]
FieldOption = Annotated[list[str] | None, typer.Option(
    "--field", metavar="NAME=VALUE", help="A value for a {field} of the contract's channel templates "
                                          "(repeatable), e.g. --field order=5.")]


ReportOption = Annotated[Path | None, typer.Option(
    "--report", metavar="FILE", help="Also write a report to attach to a ticket: FILE.md (Markdown) or "
                                     "FILE.html (one self-contained page).")]


def writable_or_exit(out: Output, option: str, path: Path) -> Path:
    """The path, or a usage error when a file cannot be written there: found before the run, not after it."""
    if path.is_dir():
        problem_with = "is a folder"
    elif not path.parent.is_dir():
        problem_with = "its folder does not exist"
    elif not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem_with = "is not writable"
    else:
        return path
    out.usage_error(f"{option} {path}: {problem_with}", "give a file path in a folder that exists")


def report_path_or_exit(out: Output, path: Path) -> Path:
    """The --report path, or a usage error when it cannot be written or its suffix names no format."""
    from pusher_doctor.render.report import report_format

    writable_or_exit(out, "--report", path)
    if report_format(path) is None:
        out.usage_error(f"--report {path}: the name must end in .md or .html", "e.g. --report ticket.html")
    return path


def settings_or_exit(out: Output, env_file: Path | None, options: dict[str, str | None]
                     ) -> tuple[LoadedSettings, ClusterDirectory]:
    """The settings from the options, the environment and the env file, and the cluster hosts; a usage
    error (exit 2) when the env file or PUSHER_DOCTOR_CLUSTER_HOSTS cannot be read."""
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings

    try:
        return (load_settings(options, env_file=env_file, env_file_required=env_file is not None),
                ClusterDirectory.from_environ(os.environ))
    except EnvFileError as error:
        out.usage_error(str(error), "give --env-file the path of the backend's .env, or leave it out")
    except ClusterHostsError as error:
        out.usage_error(str(error), "unset it to use Pusher cloud's hosts")


def connect_or_exit(out: Output, env_file: Path | None, options: dict[str, str | None],
                    needs_secret: str | None, needs_app_id: bool = True) -> tuple[Output, Connection]:
    """The settings as a connection, and an output that masks their secret; a usage error (exit 2) when
    they are unusable. `needs_secret` says why the command needs the secret, or None when the key is enough."""
    from pusher_doctor.triage.connect import resolve

    loaded, clusters = settings_or_exit(out, env_file, options)
    out = out.with_settings(loaded)
    resolved = resolve(loaded, needs_secret is not None, clusters, needs_app_id)
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


def channel_prefix_or_exit(out: Output, prefix: str) -> str:
    """--channel-prefix, or a usage error when it is not one Pusher knows."""
    from pusher_doctor.hotel_chat import CHANNEL_PREFIXES

    if prefix and prefix not in CHANNEL_PREFIXES:
        out.usage_error(f"--channel-prefix must be one of {', '.join(CHANNEL_PREFIXES)}",
                        "leave it out for public channels, or give a full --room-channel template")
    return prefix


def private_channels_or_exit(out: Output, prefix: str, room_template: str | None,
                             conversation_template: str | None, conversation: str | None,
                             endpoint_url: str | None, headers: list[str], cookies: list[str],
                             origin: str | None, user_endpoint_url: str | None = None,
                             values: dict[str, str] | None = None) -> dict[str, Any]:
    """The CheckRequest fields of --channel-prefix, the channel templates and the auth endpoints; a usage
    error names what is wrong (never a header's or cookie's value)."""
    from pusher_doctor.hotel_chat import fill_template

    channel_prefix_or_exit(out, prefix)
    # the fields given a value (else stand-ins: only the template's shape is checked here)
    given = dict(values) if values is not None else {"hotel": "h", "room": "1"}
    given.setdefault("conversation", conversation)
    for option, template in (("--room-channel", room_template), ("--conversation-channel", conversation_template)):
        try:
            if template is not None:
                fill_template(template, given.get("hotel"), given.get("room"), given.get("conversation"),
                              {k: v for k, v in given.items() if k not in ("hotel", "room", "conversation")})
        except ValueError as error:
            out.usage_error(f"{option}: {error}", "write the channel's name with the contract's fields, e.g. "
                                                  "{hotel}, {room} and {conversation}")
    if endpoint_url is None and user_endpoint_url is None and (headers or cookies or origin):
        out.usage_error("--auth-header, --auth-cookie and --origin go with --auth-endpoint",
                        "add --auth-endpoint URL (the app's auth endpoint)")
    endpoints = {}
    for option, url in (("--auth-endpoint", endpoint_url), ("--user-auth-endpoint", user_endpoint_url)):
        if url is not None:
            from pusher_doctor.protocol.auth import build_endpoint

            try:
                endpoints[option] = build_endpoint(url, headers, cookies, origin, option)
            except ValueError as error:
                out.usage_error(str(error), "see --help for the auth options")
    return {"channel_prefix": prefix, "room_template": room_template, "conversation_template": conversation_template,
            "auth_endpoint": endpoints.get("--auth-endpoint"),
            "user_auth_endpoint": endpoints.get("--user-auth-endpoint")}


def contract_or_exit(out: Output, path: Path | None) -> Contract:
    """The app contract --contract names, or the one found from the working directory upward, or the hotel
    chat's; a usage error (cause contract-invalid, exit 2) says what is wrong with it and where."""
    from pusher_doctor.contract import ContractError, load_contract

    try:
        return load_contract(path)
    except ContractError as error:
        out.usage_error(str(error), error.fix, cause=error.cause)


def fields_or_exit(out: Output, given: list[str] | None, contract: Contract,
                   named: dict[str, str | None] | None = None) -> dict[str, str]:
    """--field NAME=VALUE options as a mapping, with the values named by their own options (--hotel, --room,
    --conversation) where given; a usage error for a malformed one or a field the contract does not have."""
    values = {name: value for name, value in (named or {}).items() if value is not None}
    for item in given or []:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name or not value:
            out.usage_error(f"--field {item[:40]!r} is not NAME=VALUE", "e.g. --field order=5")
        if name not in contract.fields:
            known = ", ".join(contract.fields) or "none"
            out.usage_error(f"--field {name}: {contract.label} has no field {{{name}}} (its fields: {known})",
                            "name a field of the contract's channel templates")
        values[name] = value
    return values


def recipient_fields_or_exit(out: Output, contract: Contract, values: dict[str, str],
                             template: str | None = None) -> None:
    """A usage error naming the option for each field the recipient's channel needs and was not given."""
    from pusher_doctor.contract import ChannelTemplate, TemplateError

    channel = contract.recipient_channel
    try:
        fields = ChannelTemplate.parse(template).fields if template else channel.fields
    except TemplateError:
        return  # the template's own check says what is wrong with it
    missing = [name for name in fields if name not in values]
    if missing:
        options = " ".join(f"--{name} VALUE" if name in ("hotel", "room", "conversation") else f"--field {name}=VALUE"
                           for name in missing)
        out.usage_error(f"the {channel.key} channel ({template or channel.template.text}) needs "
                        f"{', '.join('{' + name + '}' for name in missing)}", f"give {options}")


def fail_with(term: TerminalReport | None, out: Output, found: Problem) -> NoReturn:
    """A command that could not do its job: the problem with its fix, exit code 1."""
    from pusher_doctor.render.triage_text import problem_document, show_problem, write_document

    if term is not None:
        show_problem(term, found)
    else:
        write_document(problem_document(found), out.redact)
    raise typer.Exit(ExitCode.PROBLEMS_FOUND)


def guest_consents(term: TerminalReport | None, live: int | None, channel: str, what: str, yes: bool) -> str | None:
    """The live-guest guard of `check`, asked at this terminal when there is one; None when `what` may be
    sent on `channel`, otherwise why not."""
    from pusher_doctor.checks.trigger import guest_consents as guard
    from pusher_doctor.cli.output import is_tty

    asking = term is not None and is_tty(sys.stdin) and is_tty(sys.stdout)
    return guard(live, channel, what, yes, term.confirm if asking and term is not None else None)


def not_sent(term: TerminalReport | None, out: Output, reason: str) -> NoReturn:
    """The guard said no: nothing was sent, which is the command not doing its job (exit code 1)."""
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA, write_document
    from pusher_doctor.render.trigger import show_not_sent

    if term is not None:
        show_not_sent(term, reason)
    else:
        write_document({"schema": TRIAGE_SCHEMA, "ok": False, "sent": [], "not_sent": reason}, out.redact)
    raise typer.Exit(ExitCode.PROBLEMS_FOUND)
