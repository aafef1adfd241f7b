"""The backend's facts as the rules see them: what the code and config say, with where each was seen.

Pure records: :mod:`.laravel`, :mod:`.python` and :mod:`.frontend` fill them in, the rules in
:mod:`.rules` read them. Channel and event names are :class:`~pusher_doctor.scan.values.Pattern`\\ s,
the frontend scan's own form (literal text and holes), so the two sides compare directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pusher_doctor.scan.model import SkippedFile
from pusher_doctor.scan.sources import Location
from pusher_doctor.scan.values import Pattern

LARAVEL = "laravel"
PYTHON = "python"
NODE = "node"


@dataclass(frozen=True)
class EnvFile:
    """The backend's env file (read with python-dotenv, never sourced): values and where each is set."""

    rel: str
    values: dict[str, str | None]
    places: dict[str, Location]
    #: the committed template (``.env.example``) read for want of the real ``.env``: the app may run otherwise
    template: bool = False


@dataclass(frozen=True)
class ConfigDefault:
    """A Laravel config file's ``'default' => env('NAME', 'fallback')``: which env variable it reads and
    what it falls back to (or the literal it is set to)."""

    env_name: str | None
    fallback: str | None
    location: Location

    def value(self, env: EnvFile | None) -> tuple[str | None, Location]:
        """The effective value with the env file's values, and where it comes from."""
        if self.env_name and env is not None and env.values.get(self.env_name) not in (None, ""):
            return env.values[self.env_name], env.places[self.env_name]
        return self.fallback, self.location


@dataclass(frozen=True)
class SentChannel:
    """A channel the backend sends on: its full name (``private-``/``presence-`` included)."""

    name: Pattern
    location: Location


@dataclass
class LaravelEvent:
    """An event class: ``implements ShouldBroadcast``/``ShouldBroadcastNow`` and its ``broadcast*`` methods."""

    name: str
    fqcn: str
    location: Location
    extends: str | None
    #: short names of the interfaces it implements directly
    implements: tuple[str, ...]
    traits: tuple[str, ...]
    channels: list[SentChannel] = field(default_factory=list)
    broadcast_on: Location | None = None
    broadcast_as: str | None = None
    broadcast_as_location: Location | None = None
    #: ``public $connection = 'sync'``: queued on the sync connection, that is sent at once
    sync_connection: bool = False
    #: ``public $afterCommit = true``: dispatched only once the open transaction commits
    after_commit: bool = False
    #: it has a ``broadcastWith()``: only what that returns is sent
    broadcast_with: bool = False
    #: public properties typed as a collection or array (sent whole without ``broadcastWith()``): name, type, where
    unbounded: list[tuple[str, str, Location]] = field(default_factory=list)

    @property
    def wire_name(self) -> str | None:
        """The event name on the wire: ``broadcastAs()``'s, else the class's full name; None when ``broadcastAs()``
        returns something the scan cannot read (a constant, a computed name)."""
        if self.broadcast_as_location is not None:
            return self.broadcast_as
        return self.fqcn


@dataclass(frozen=True)
class ChannelRoute:
    """``Broadcast::channel('orders.{id}', ...)`` in routes/channels.php."""

    pattern: str
    location: Location


@dataclass(frozen=True)
class BroadcastRoutes:
    """Where ``/broadcasting/auth`` is registered and with which middleware (None: Laravel's ``web``)."""

    how: str
    middleware: tuple[str, ...] | None
    location: Location


@dataclass(frozen=True)
class Dispatch:
    """``broadcast(new X)``, ``X::dispatch()``, ``event(new X)``; ``to_others`` for ``->toOthers()``."""

    event: str
    to_others: bool
    location: Location
    #: the database transaction it runs in before the commit (``DB::transaction()``), or None
    in_transaction: str | None = None


@dataclass(frozen=True)
class ServerClient:
    """The server SDK's client: Python ``pusher.Pusher(...)`` or Node ``new Pusher({...})``."""

    language: str
    location: Location
    #: option name -> its literal value (str, bool, int) or None when it is an expression
    options: dict[str, object]
    #: option name -> its source text
    option_texts: dict[str, str]
    #: built at module level (import time) rather than inside a function
    module_level: bool = False
    #: the environment variables its arguments read directly (os.environ, os.getenv, process.env)
    env_reads: tuple[str, ...] = ()
    #: the byte where it is built, to compare with a load_dotenv() in the same file
    start_byte: int = 0
    #: what builds it when its options are not all in the call (``Pusher.from_env``, a spread ``...config``)
    indirect: str | None = None
    #: the name it is bound to (``pusher_client``; ``get_client()`` for a function that returns it), if any
    bound_to: str | None = None


@dataclass(frozen=True)
class Trigger:
    """A ``trigger(channels, event, data)`` of the server SDK."""

    language: str
    location: Location
    channels: tuple[Pattern, ...]
    event: Pattern
    #: how an error of this trigger is thrown away (``except: pass``), or None
    swallowed: str | None = None
    #: the transaction it runs inside (``with transaction.atomic():``), or None
    in_transaction: str | None = None
    #: it runs in a Django view's own code (a function taking ``request``, not ``@non_atomic_requests``)
    in_view: bool = False
    #: the last name of what ``trigger`` is called on (``pusher_client``, ``get_client()``)
    receiver: str = ""


@dataclass(frozen=True)
class EnvLoad:
    """A ``load_dotenv()`` (or django-environ's ``read_env``) call."""

    file: str
    start_byte: int
    module_level: bool


@dataclass(frozen=True)
class Listen:
    """An event the frontend binds, as the name that arrives on the wire, and where."""

    wire: str
    written: str
    channel: Pattern | None
    location: Location
    echo: bool


@dataclass(frozen=True)
class Subscribed:
    """A channel the frontend subscribes to (full name, ``private-`` added for Echo's ``private()``)."""

    name: Pattern
    location: Location


@dataclass
class FrontendView:
    """What the frontend scan's engine found in the frontend's code, for the cross-checks."""

    root: Path
    files: int
    #: the frontend files that could not be analysed (paths relative to the backend's root)
    skipped: list[SkippedFile] = field(default_factory=list)
    #: the frontend scan stopped at the time limit before reading every file
    incomplete: bool = False
    subscriptions: list[Subscribed] = field(default_factory=list)
    listens: list[Listen] = field(default_factory=list)
    #: the frontend sends X-Socket-ID on its requests (axios with Echo, or the header by hand)
    sends_socket_id: bool = False
    #: where the frontend authenticates with a bearer token (SPA or mobile token auth), if it does
    bearer_auth: Location | None = None


@dataclass
class Backend:
    """Everything the rules are given."""

    root: Path
    frameworks: set[str] = field(default_factory=set)
    env: EnvFile | None = None
    broadcast_default: ConfigDefault | None = None
    queue_default: ConfigDefault | None = None
    events: list[LaravelEvent] = field(default_factory=list)
    #: class name -> (extends, implements) of every PHP class and interface read, to follow parents
    hierarchy: dict[str, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)
    channels_file: str | None = None
    routes: list[ChannelRoute] = field(default_factory=list)
    broadcast_routes: list[BroadcastRoutes] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    #: where a queue worker is set up (Procfile, supervisor, compose, composer scripts)
    workers: list[str] = field(default_factory=list)
    #: config/queue.php sets ``'after_commit' => true``: queued jobs wait for the transaction to commit
    queue_after_commit: bool = False
    #: config/broadcasting.php's text, when there is one (which env names its connections read)
    broadcasting_config: str | None = None
    #: config/app.php's text (its providers list), when there is one
    app_config: str | None = None
    #: routes/api.php (or another route file) guards routes with auth:sanctum
    sanctum: Location | None = None
    clients: list[ServerClient] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    env_loads: list[EnvLoad] = field(default_factory=list)
    #: where Django's settings set ``'ATOMIC_REQUESTS': True`` (every view runs in a transaction), or None
    atomic_requests: Location | None = None
    #: ES ``import`` statements in a file that calls ``dotenv.config()`` of a module that builds a Node client:
    #: (the import, the client's file)
    hoisted: list[tuple[Location, str]] = field(default_factory=list)
    #: another way the env file is read (django-environ, python-decouple, pydantic-settings), or None
    other_env_loader: str | None = None
    frontend: FrontendView | None = None
