"""The facts one file yields: what each Pusher-related call is, and in which function it runs.

Pure records: :mod:`pusher_doctor.scan.facts.collect` fills them in, the rules read them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING

from tree_sitter import Node

from pusher_doctor.scan import sources
from pusher_doctor.scan.values import Pattern, Resolver

if TYPE_CHECKING:
    from pusher_doctor.scan.channel_index import ChannelUse
    from pusher_doctor.scan.project import HookFact


class Role(Enum):
    """What an enclosing function is, as far as the subscription lifecycle is concerned."""

    COMPONENT = "component"  # React function component body: runs on every render
    HOOK = "hook"  # custom hook body: runs on every render of its component
    RENDER = "render"  # class component render()
    EFFECT = "effect"  # useEffect callback
    CLEANUP = "cleanup"  # effect cleanup, componentWillUnmount, Vue unmount hooks
    MOUNT = "mount"  # componentDidMount, Vue mounted/onMounted, setup()
    HANDLER = "handler"  # a function bound to a Pusher event
    OTHER = "other"

    @property
    def runs_every_render(self) -> bool:
        return self in (Role.COMPONENT, Role.HOOK, Role.RENDER)


@dataclass(frozen=True)
class Func:
    """An enclosing function: its node, the name it is known by, its role, and the function around it."""

    node: Node
    name: str | None
    role: Role
    #: a link rather than a tuple of every enclosing function: facts deep in nested functions share it
    outer: Func | None = field(default=None, repr=False, compare=False)

    def outwards(self) -> Iterator[Func]:
        """This function, then each function around it."""
        func: Func | None = self
        while func is not None:
            yield func
            func = func.outer


#: the browser libraries a client comes from
PUSHER_JS = "pusher-js"
LARAVEL_ECHO = "laravel-echo"


class Owner(Enum):
    """Whose lifetime a client has: how often it is created, and who should disconnect it."""

    MODULE = "module"  # module level: once per page load
    APP = "app"  # a plugin, a guarded singleton, window.X: once per app
    RENDER = "render"  # a component body or render(): every render (client-in-render's)
    EFFECT = "effect"  # a React effect: every time the effect runs
    MOUNT = "mount"  # componentDidMount, mounted/onMounted, setup, <script setup>: every mount
    INSTANCE = "instance"  # a class component's constructor or field: every instance
    FUNCTION = "function"  # another function: as often as it is called, which the scan cannot tell

    @property
    def per_mount(self) -> bool:
        """True when each mount (or effect run) of a component creates one more client."""
        return self in (Owner.EFFECT, Owner.MOUNT, Owner.INSTANCE)


@dataclass
class Client:
    """A browser client: ``new Pusher(key, options)`` (pusher-js) or ``new Echo(options)`` (Laravel Echo)."""

    node: Node
    key: Node | None
    options: Node | None
    #: the innermost function around the call (None at module level)
    enclosing: Func | None
    library: str = PUSHER_JS
    owner: Owner = Owner.MODULE
    #: the function whose lifetime the client has (the effect, the mount hook), when it has one
    owner_fn: Node | None = None

    @property
    def constructor(self) -> str:
        """``new Pusher`` or ``new Echo``, for messages."""
        return "new Echo" if self.library == LARAVEL_ECHO else "new Pusher"


@dataclass
class ServerClient:
    """The Pusher server SDK (the ``pusher`` package): ``new Pusher({appId, key, secret, cluster})`` or
    its import. It holds the secret, so it must never reach browser code."""

    node: Node
    #: how it was told apart from pusher-js, for messages
    reason: str


@dataclass(slots=True)
class Import:
    """``import ... from 'source'`` or ``require('source')``; a file kept without its tree keeps its node
    as a :class:`~pusher_doctor.scan.sources.PlacedNode` (its text and place)."""

    node: Node
    source: str


@dataclass
class Subscription:
    """``x.subscribe(name)``; ``via`` names the custom hook/helper when found at its call site."""

    node: Node
    arg: Node
    channel: Pattern
    #: the innermost function around the call (None at module level)
    enclosing: Func | None
    via: str | None = None
    #: pusher-js, or laravel-echo (``Echo.channel/private/join/encryptedPrivate``); for Echo the
    #: channel holds the prefix the method adds (``private-``, ``presence-``)
    api: str = PUSHER_JS
    #: made by a hook library (``useEcho``, use-pusher's ``useChannel``) that also leaves the channel
    managed: bool = False


@dataclass
class Bind:
    """``channel.bind(event, handler)``; ``channel`` is the linked subscription's pattern if known."""

    node: Node
    event_node: Node
    event: Pattern
    handler: Node | None
    #: the function the handler argument stands for (inline, named, useCallback, this.method)
    handler_fn: Node | None
    subscription: Subscription | None
    channel: Pattern | None
    #: the innermost function around the call (None at module level)
    enclosing: Func | None
    via: str | None = None
    api: str = PUSHER_JS
    #: Echo's ``listen('X')`` without a leading dot: Echo binds its namespace + X (``App\\Events\\X``)
    echo_prefixed: bool = False
    #: made by a hook library that also unbinds it (see :attr:`Subscription.managed`)
    managed: bool = False


@dataclass
class Teardown:
    """``unsubscribe``/``unbind``/``unbind_all``/``disconnect``; ``context`` says where it runs:
    ``cleanup``, ``handler`` (inside a bound event handler), ``after-subscribe`` (same function,
    after subscribing to the same channel) or ``other``."""

    node: Node
    #: unsubscribe, unbind, unbind_all or disconnect: Echo's leave/leaveChannel count as unsubscribe,
    #: stopListening as unbind
    method: str
    args: tuple[Node, ...]
    context: str
    #: the channel it tears down (an unsubscribe's argument, an unbind's channel), when known
    target: Pattern | None = None
    api: str = PUSHER_JS
    #: the innermost function around the call (None at module level)
    enclosing: Func | None = None


@dataclass
class OwnedCall:
    """A call of an imported function made where a client would be per mount (an effect, a mount hook):
    when that function is a client factory (``createEcho()``), each run creates a client."""

    node: Node
    name: str
    #: where the function is imported from
    source: str
    enclosing: Func | None
    owner: Owner


@dataclass
class Trigger:
    """The server SDK's ``pusher.trigger(channel or [channels], event, data)``: what the app sends, where."""

    node: Node
    #: each channel the event is sent on, with the node naming it
    channels: list[tuple[Node, Pattern]]
    event: Pattern


@dataclass
class Effect:
    """A React effect and what it does with Pusher."""

    node: Node
    callee: Node
    fn: Node
    deps: Node | None  # the deps argument; None when missing
    component: Func | None
    cleanups: tuple[Node, ...]
    subscribes: bool = False
    tears_down: bool = False
    subscriptions: list[Subscription] = field(default_factory=list)
    binds: list[Bind] = field(default_factory=list)


@dataclass
class Component:
    """State of one function component: ``state -> setter`` and where setters are called."""

    fn: Node
    setters: dict[str, str] = field(default_factory=dict)
    setter_calls: list[tuple[str, Node]] = field(default_factory=list)


@dataclass(frozen=True)
class Shell:
    """What a file says about the app's shell (see :mod:`pusher_doctor.scan.shell`), as plain data."""

    #: import sources of the components it mounts as the app's root
    roots: tuple[str, ...] = ()
    #: import sources of the components it registers on a root or globally (they stay mounted only in a
    #: page-per-request app)
    registered: tuple[str, ...] = ()
    #: import sources of the components it renders unconditionally
    renders: tuple[str, ...] = ()
    #: it imports a client-side router
    routes: bool = False


@dataclass
class FileFacts:
    """Everything the rules need from one file."""

    #: the parsed file; a :class:`~pusher_doctor.scan.sources.SlimSource` once its tree is let go
    src: sources.SourceFile
    #: None once the tree is let go (nothing is left to resolve)
    resolver: Resolver
    staff: bool
    #: the app the file belongs to: its folder relative to the scanned root ("" for the root's own)
    package: str = ""
    clients: list[Client] = field(default_factory=list)
    servers: list[ServerClient] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    #: ``process.env.X`` / ``import.meta.env.X`` reads: (X, node)
    env_reads: list[tuple[str, Node]] = field(default_factory=list)
    #: the file starts with the ``'use client'`` directive (Next.js: it runs in the browser)
    use_client: bool = False
    #: the file starts with ``'use server'`` (server actions: never in a client bundle)
    use_server: bool = False
    subscriptions: list[Subscription] = field(default_factory=list)
    binds: list[Bind] = field(default_factory=list)
    teardowns: list[Teardown] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    owned_calls: list[OwnedCall] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    components: dict[int, Component] = field(default_factory=dict)
    calls_by_name: dict[str, list[Node]] = field(default_factory=dict)
    shell: Shell = field(default_factory=Shell)
    #: the names of the functions it calls, kept when its tree is let go (see :func:`slimmed`): a hook's
    #: call sites are found by name, and such a file is read again only when one is called there
    called: frozenset[str] = frozenset()
    #: its tree was let go: only what other files may ask of it is kept (a :class:`SlimFacts`: no Pusher code;
    #: a :class:`SummaryFacts`: Pusher code, read again when the rules check it)
    slim: bool = False
    #: node id -> fact, so that linking a receiver to its client or subscription is one lookup
    client_at: dict[int, Client] = field(default_factory=dict, repr=False)
    subscription_at: dict[int, Subscription] = field(default_factory=dict, repr=False)


class SlimFacts(FileFacts):
    """The facts of a file with no Pusher code once its tree is let go (see
    :func:`~pusher_doctor.scan.facts.collect.slimmed`): what other files ask of it, as plain data.

    Most of a large tree's files end up as one, so it is kept small: slotted, its empty facts shared by the
    class, its imports and env reads kept as flat tuples of names and places (their records are made when
    a rule asks: few do, on few files). Without that, these records were what made memory grow with the tree.
    """

    __slots__ = ("_env_reads", "_imports", "called", "package", "shell", "src", "staff", "use_client", "use_server")

    resolver = None  # type: ignore[assignment]
    slim = True
    clients = servers = subscriptions = binds = teardowns = triggers = owned_calls = effects = ()  # type: ignore[assignment]
    components = calls_by_name = client_at = subscription_at = MappingProxyType({})  # type: ignore[assignment]

    def __init__(
        self,
        src: sources.SlimSource,
        staff: bool,
        package: str,
        imports: tuple[str | int, ...],
        env_reads: tuple[str | bytes | None | int, ...],
        use_client: bool,
        use_server: bool,
        shell: Shell,
        called: frozenset[str],
    ) -> None:
        # imports: source, row, column of each, one after the other; env reads: name, code, row, column
        self.src, self.staff, self.package, self._imports, self._env_reads = src, staff, package, imports, env_reads  # type: ignore[assignment]
        self.use_client, self.use_server, self.shell, self.called = use_client, use_server, shell, called

    @property  # type: ignore[override]
    def imports(self) -> tuple[Import, ...]:
        flat = self._imports
        return tuple(
            Import(sources.PlacedNode(None, (flat[i + 1], flat[i + 2])), flat[i])  # type: ignore[arg-type]
            for i in range(0, len(flat), 3)
        )

    @property  # type: ignore[override]
    def env_reads(self) -> tuple[tuple[str, sources.PlacedNode], ...]:
        flat = self._env_reads
        return tuple(
            (flat[i], sources.PlacedNode(flat[i + 1], (flat[i + 2], flat[i + 3])))  # type: ignore[misc]
            for i in range(0, len(flat), 4)
        )

    def plain(self) -> tuple:
        """These facts as plain values (which pickle many times faster than objects): see
        :func:`~pusher_doctor.scan.facts.collect.packed`."""
        src, shell = self.src, self.shell
        return (
            os.fspath(src.path), src.rel, src.language, self.staff, self.package, self._imports, self._env_reads,
            self.use_client, self.use_server, (shell.roots, shell.registered, shell.renders, shell.routes),
            tuple(self.called),
        )


class SummaryFacts(SlimFacts):
    """The facts of a file with Pusher code while the rules check the other files: what a slim file keeps,
    plus what other files' checks ask of it as plain data (its subscriptions, binds and triggers, the facts
    its call sites fill in, whether it creates a client, each rule's
    :attr:`~pusher_doctor.scan.rules.Rule.note`). Its tree is let go once it is read: the rules read it again
    when they check it (see :meth:`~pusher_doctor.scan.project.Project.view`), so that the trees of such
    files are held one at a time, not all of them.
    """

    __slots__ = ("digest", "hooks", "noted", "notes", "uses", "with_clients")

    def __init__(
        self,
        slim: SlimFacts,
        uses: tuple[ChannelUse, ...],
        hooks: tuple[HookFact, ...],
        with_clients: bool,
        notes: dict[Callable[[FileFacts], object], object],
        digest: bytes,
        noted: tuple[Callable[[FileFacts], object], ...] = (),
    ) -> None:
        super().__init__(
            slim.src,  # type: ignore[arg-type]
            slim.staff, slim.package, slim._imports, slim._env_reads, slim.use_client, slim.use_server,
            slim.shell, slim.called,
        )
        #: its own :class:`~pusher_doctor.scan.channel_index.ChannelUse` and
        #: :class:`~pusher_doctor.scan.project.HookFact`
        self.uses, self.hooks, self.with_clients = uses, hooks, with_clients
        #: each rule's note on it, by the rule's note function (absent when it said nothing)
        self.notes = notes
        #: every note asked of it (one tuple shared by every summary): another one was never registered
        self.noted = noted
        #: what identifies the text it was read from (:func:`text_digest`): read again to be checked, the file
        #: must still hold that text, or what the other files were told of it would not be what is checked
        self.digest = digest


def text_digest(text: str) -> bytes:
    """A short digest of a file's text, to tell whether it changed between two reads."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
