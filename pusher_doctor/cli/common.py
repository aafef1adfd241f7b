"""What several commands share: the settings options (one definition for check and the triage commands;
the server options and the channel-auth options each declared as one parameter, `ServerOptions` and
`ChannelAuthOptions`, which `with_option_groups` expands), turning them into a connection or a usage
error, a channel name Pusher would accept, and the live-guest guard asked at the terminal."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from msgspec import Struct
from msgspec.structs import asdict, replace

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
    from pusher_doctor.config.endpoints import ClusterDirectory
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.contract import Contract
    from pusher_doctor.protocol.rest import RestClient
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


class ServerOptions(Struct, frozen=True):
    """The eight options that say which app on which server a command talks to, as one value: a command
    declares `server: ServerOptions` and `with_option_groups` puts the options in its place."""

    env_file: Path | None = None
    app_id: str | None = None
    key: str | None = None
    secret: str | None = None
    cluster: str | None = None
    host: str | None = None
    port: str | None = None
    scheme: str | None = None

    def settings(self, **more: str | None) -> dict[str, str | None]:
        """The settings these options give (all but the env file), with `more` (the master key) added."""
        given = asdict(self)
        del given["env_file"]
        return {**given, **more}


#: the default a command's `server` parameter names (typer never sees it: `with_option_groups` replaces it)
NO_SERVER_OPTIONS = ServerOptions()


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


class ChannelAuthOptions(Struct, frozen=True):
    """The options of private, presence and encrypted channels and their auth endpoint, as one value (check,
    watch): a command declares `channel_auth: ChannelAuthOptions` and `with_option_groups` puts them in
    its place."""

    channel_prefix: str = ""
    room_channel: str | None = None
    conversation_channel: str | None = None
    auth_endpoint: str | None = None
    auth_header: list[str] | None = None
    auth_cookie: list[str] | None = None
    origin: str | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """The header and cookie values: secrets from the start, even in a usage error."""
        return (*(self.auth_header or ()), *(self.auth_cookie or ()))


#: the default a command's `channel_auth` parameter names (typer never sees it)
NO_CHANNEL_AUTH_OPTIONS = ChannelAuthOptions()


def _parameters(*options: tuple[str, Any, Any]) -> tuple[inspect.Parameter, ...]:
    return tuple(inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default, annotation=option)
                 for name, option, default in options)


#: each group of options a command may declare as one parameter, and its options in the order --help lists them
_OPTION_GROUPS: dict[type, tuple[inspect.Parameter, ...]] = {
    ServerOptions: _parameters(("env_file", EnvFileOption, None), ("app_id", AppIdOption, None),
                               ("key", KeyOption, None), ("secret", SecretOption, None),
                               ("cluster", ClusterOption, None), ("host", HostOption, None),
                               ("port", PortOption, None), ("scheme", SchemeOption, None)),
    ChannelAuthOptions: _parameters(("channel_prefix", ChannelPrefixOption, ""),
                                    ("room_channel", RoomChannelOption, None),
                                    ("conversation_channel", ConversationChannelOption, None),
                                    ("auth_endpoint", AuthEndpointOption, None),
                                    ("auth_header", AuthHeaderOption, None),
                                    ("auth_cookie", AuthCookieOption, None), ("origin", OriginOption, None)),
}

CommandT = TypeVar("CommandT", bound=Callable[..., Any])


def with_option_groups(command: CommandT) -> CommandT:
    """The command with each parameter typed as an option group (`ServerOptions`, `ChannelAuthOptions`)
    replaced, for typer, by the group's options in that place; when it runs they are handed back to it as
    one value. Apply it under `@commands.command()`."""
    signature = inspect.signature(command, eval_str=True)
    groups = {p.name: p.annotation for p in signature.parameters.values() if p.annotation in _OPTION_GROUPS}
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        parameters.extend(_OPTION_GROUPS[groups[parameter.name]] if parameter.name in groups else (parameter,))

    @functools.wraps(command)
    def with_groups(**given: Any) -> Any:
        for name, group in groups.items():
            given[name] = group(**{p.name: given.pop(p.name) for p in _OPTION_GROUPS[group]})
        return command(**given)

    # typer reads both: the signature for the options, the annotations for their types.
    with_groups.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_groups.__annotations__ = {**{p.name: p.annotation for p in parameters}, "return": signature.return_annotation}
    return with_groups  # type: ignore[return-value]


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


PATH_REFUSED_FIX = "give a shorter path, or one in a folder this user may read"


def shown_path(text: str) -> str:
    """A path as an error names it: whole up to 80 characters, else its start and its length."""
    return text if len(text) <= 80 else f"{text[:60]}… ({len(text)} characters)"


def usable_path_or_exit(out: Output, option: str, path: Path) -> Path:
    """The path, or a usage error when the system refuses to even look it up (a name longer than the file
    system takes, a folder on the way this user may not enter): is_dir() and exists() raise for those.
    Whether it exists is the caller's question."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as error:
        out.usage_error(f"{option} {shown_path(str(path))}: {error.strerror or type(error).__name__}",
                        PATH_REFUSED_FIX)
    return path


def writable_or_exit(out: Output, option: str, path: Path) -> Path:
    """The path, or a usage error when a file cannot be written there: found before the run, not after it.
    A symbolic link to a file (or to nothing yet) is refused: writing through it would change or make a
    file the user did not name. A link to a device (/dev/stdout is one) is written as asked."""
    usable_path_or_exit(out, option, path)
    if path.is_symlink() and (path.resolve().is_file() or not path.exists()):
        problem_with = "is a symbolic link to a file; pusher-doctor does not write through one"
    elif path.is_dir():
        problem_with = "is a folder"
    elif not path.parent.is_dir():
        problem_with = "its folder does not exist"
    elif not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem_with = "is not writable"
    else:
        return path
    out.usage_error(f"{option} {path}: {problem_with}", "give a file path in a folder that exists (not a link)")


def output_file_or_exit(out: Output, option: str, path: Path, example: str) -> Path:
    """The path of a file the run writes after it (--junit, --report), or a usage error found before it:
    one `writable_or_exit` refuses, "-" (the convention for stdout, where the run's own output goes), or a
    named pipe that nothing reads (writing would wait forever). `example`: a name to suggest."""
    from pusher_doctor.render.files import NO_READER, claim

    if str(path) == "-":  # a file named "-" is never what is meant
        out.usage_error(f"{option} -: writes a file, not stdout (the run's own output goes there)",
                        f"give a file name, e.g. {option} {example}")
    writable_or_exit(out, option, path)
    try:
        claim(path)
    except OSError as error:
        why = NO_READER if error.strerror == NO_READER else f"not writable ({error.strerror or error})"
        out.usage_error(f"{option} {path}: is {why}", "start its reader first, or give a regular file's path")
    return path


def report_path_or_exit(out: Output, path: Path) -> Path:
    """The --report path, or a usage error when it cannot be written or its suffix names no format."""
    from pusher_doctor.render.report import report_format

    output_file_or_exit(out, "--report", path, "ticket.html")
    if report_format(path) is None:
        out.usage_error(f"--report {path}: the name must end in .md or .html", "e.g. --report ticket.html")
    return path


def settings_or_exit(out: Output, env_file: Path | None, options: dict[str, str | None]
                     ) -> tuple[LoadedSettings, ClusterDirectory]:
    """The settings from the options, the environment and the env file, and the cluster hosts; a usage
    error (exit 2) when the env file or PUSHER_DOCTOR_CLUSTER_HOSTS cannot be read."""
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings

    if env_file is not None:
        usable_path_or_exit(out, "--env-file", env_file)
    try:
        loaded = load_settings(options, env_file=env_file, env_file_required=env_file is not None)
        for setting in loaded.settings.values():  # a secret with a stray byte would reach no server intact
            text_or_exit(out, setting.source or setting.name, setting.value)
        return loaded, ClusterDirectory.from_environ(os.environ)
    except EnvFileError as error:
        out.usage_error(str(error), error.fix or (
            "give --env-file the path of the backend's .env, or leave it out" if env_file is not None
            else "fix or rename ./.env, or give --env-file the path of the backend's .env"))
    except ClusterHostsError as error:
        out.usage_error(str(error), "unset it to use Pusher cloud's hosts")


def connect_or_exit(out: Output, server: ServerOptions, needs_secret: str | None, needs_app_id: bool = True,
                    **more: str | None) -> tuple[Output, Connection]:
    """The settings as a connection, and an output that masks their secret; a usage error (exit 2) when
    they are unusable. `needs_secret` says why the command needs the secret, or None when the key is enough;
    `more` are settings beyond the server options (the encryption master key)."""
    from pusher_doctor.triage.connect import resolve

    loaded, clusters = settings_or_exit(out, server.env_file, server.settings(**more))
    out = out.with_settings(loaded)
    resolved = resolve(loaded, needs_secret is not None, clusters, needs_app_id)
    if not hasattr(resolved, "target"):
        why = f" ({needs_secret})" if needs_secret and resolved.about in ("secret", "app_id") else ""
        out.usage_error(f"{resolved.summary}{why} [{resolved.cause}]", resolved.hint)
    return out, resolved


def text_or_exit(out: Output, what: str, value: str | bytes | None) -> str | None:
    """`value` as text, or a usage error when it holds bytes that are not UTF-8 (a shell passes them on as
    they are; Python keeps them as lone surrogates, which no server, JSON encoder or terminal accepts)."""
    if value is None:
        return None
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeError as error:
        out.usage_error(f"{what} is not UTF-8 text (byte {raw[error.start]:#04x} at {error.start})",
                        "give the value as UTF-8 text")


def texts_or_exit(out: Output, option: str, values: list[str]) -> None:
    """A usage error naming `option` (never the value: a header or cookie is a secret) when one of its
    values is not UTF-8 text."""
    for value in values:
        text_or_exit(out, option, value)


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


def private_channels_or_exit(out: Output, options: ChannelAuthOptions, conversation: str | None,
                             user_endpoint_url: str | None = None,
                             values: dict[str, str] | None = None) -> dict[str, Any]:
    """The CheckRequest fields of --channel-prefix, the channel templates and the auth endpoints; a usage
    error names what is wrong (never a header's or cookie's value)."""
    from pusher_doctor.hotel_chat import fill_template

    prefix, room_template, conversation_template = (options.channel_prefix, options.room_channel,
                                                     options.conversation_channel)
    endpoint_url, headers, cookies, origin = (options.auth_endpoint, options.auth_header or [],
                                              options.auth_cookie or [], options.origin)
    channel_prefix_or_exit(out, prefix)
    # the fields given a value (else stand-ins: only the template's shape is checked here)
    given: dict[str, str | None] = {**(values if values is not None else {"hotel": "h", "room": "1"})}
    given.setdefault("conversation", conversation)
    for option, template in (("--room-channel", room_template), ("--conversation-channel", conversation_template)):
        try:
            if template is not None:
                fill_template(template, given.get("hotel"), given.get("room"), given.get("conversation"),
                              {k: v for k, v in given.items() if k not in ("hotel", "room", "conversation")})
        except ValueError as error:
            out.usage_error(f"{option}: {error}", "write the channel's name with the contract's fields, e.g. "
                                                  "{hotel}, {room} and {conversation}")
    texts_or_exit(out, "--auth-header", headers)
    texts_or_exit(out, "--auth-cookie", cookies)
    if endpoint_url is None and user_endpoint_url is None and (headers or cookies or origin):
        out.usage_error("--auth-header, --auth-cookie and --origin go with --auth-endpoint",
                        "add --auth-endpoint URL (the app's auth endpoint)")
    from pusher_doctor.triage.connect import auth_endpoints

    try:
        endpoints = auth_endpoints(endpoint_url, user_endpoint_url, headers, cookies, origin)
    except ValueError as error:  # a UrlFormError says what to give instead
        out.usage_error(str(error), getattr(error, "fix", None) or "see --help for the auth options")
    return {"channel_prefix": prefix, "room_template": room_template, "conversation_template": conversation_template,
            "auth_endpoint": endpoints["--auth-endpoint"], "user_auth_endpoint": endpoints["--user-auth-endpoint"]}


def consented_or_exit(out: Output, rest: RestClient, channel: str, what: str, yes: bool, timeout: float,
                      otherwise: str = "") -> int | None:
    """How many guests are subscribed to `channel` (pusher-doctor's own watches left out; None: the server
    does not count), once the live-guest guard of
    `check` let `what` be sent there, asked at this terminal when there is one. Exit 1 when the count
    cannot be had, or when nothing may be sent (the refusal, then `otherwise`: another way to go)."""
    from pusher_doctor.cli.output import is_tty
    from pusher_doctor.guard import guest_consents
    from pusher_doctor.protocol.listeners import listeners_on
    from pusher_doctor.results import Problem

    listeners = listeners_on(rest, channel, timeout)
    if isinstance(listeners, Problem):
        raise typer.Exit(out.problem(listeners))
    live = listeners.guests
    term = out.terminal() if is_tty(sys.stdin) and is_tty(sys.stdout) else None
    refusal = guest_consents(live, channel, what, yes, term.confirm if term is not None else None)
    if refusal is not None:
        raise typer.Exit(out.not_sent(refusal + otherwise))
    return live


def contract_or_exit(out: Output, path: Path | None) -> Contract:
    """The app contract --contract names, or the one found from the working directory upward, or the hotel
    chat's; a usage error (cause contract-invalid, exit 2) says what is wrong with it and where."""
    from pusher_doctor.contract import ContractError, load_contract

    try:
        return load_contract(path)
    except ContractError as error:
        out.usage_error(str(error), error.fix, cause=error.cause)


def with_contract_env(server: ServerOptions, contract: Contract) -> ServerOptions:
    """The server options, their env file the contract's when none was given."""
    return server if server.env_file is not None else replace(server, env_file=contract.env_file)


def fields_or_exit(out: Output, given: list[str] | None, contract: Contract,
                   named: dict[str, str | None] | None = None) -> dict[str, str]:
    """--field NAME=VALUE options as a mapping, with the values named by their own options (--hotel, --room,
    --conversation) where given; a usage error for a malformed one, a field the contract does not have, or
    one given twice with two values. The caller takes --hotel, --room and --conversation back from it: a
    `--field hotel=a` stands for `--hotel a`."""
    values = {name: value for name, value in (named or {}).items() if value is not None}
    for item in given or []:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name or not value:
            out.usage_error(f"--field {item[:40]!r} is not NAME=VALUE", "e.g. --field order=5")
        if name not in contract.fields:
            known = ", ".join(contract.fields) or "none"
            shown = name if len(name) <= 40 else name[:40] + "…"  # the message stays one line, whatever was typed
            out.usage_error(f"--field {shown}: {contract.label} has no field {{{shown}}} (its fields: {known})",
                            "name a field of the contract's channel templates")
        channel_or_exit(out, value)  # a value is part of a channel name: Pusher's rules hold, before any server
        if values.get(name, value) != value:  # one of them would be dropped without a word
            by = f"--{name}" if name in (named or {}) else f"an earlier --field {name}"
            out.usage_error(f"--field {name}={value[:40]} and {by} give {{{name}}} two values", "give one of them")
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
