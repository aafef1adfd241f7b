"""Clients: pusher-js's ``new Pusher(key, options)``, Laravel Echo's ``new Echo(options)``, and the
server SDK that must not be taken for either.

``Pusher`` names two libraries: pusher-js (the browser client, ``new Pusher(key, {cluster})``) and
the ``pusher`` package (the server SDK, ``new Pusher({appId, key, secret, cluster})``). The import
source tells them apart, and so does the constructor's shape: pusher-js takes the key first, the
server SDK one object holding the secret. Each browser client also gets its :class:`Owner`, where it
is created, which says how often a new WebSocket opens and who should close it.
"""

from __future__ import annotations

from tree_sitter import Node

from pusher_doctor.scan.facts.records import (
    LARAVEL_ECHO,
    PUSHER_JS,
    Client,
    FileFacts,
    Func,
    Owner,
    Role,
    ServerClient,
)
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.tree import Ancestry, arguments, object_keys, object_property, text, unwrap
from pusher_doctor.scan.values import Resolver

#: the server SDK's package; ``pusher-js`` (and ``pusher-js/with-encryption``...) is the browser's
SERVER_PACKAGE = "pusher"
#: options only the server SDK takes: an object holding them is not pusher-js's
_SERVER_OPTIONS = ("appId", "secret")
#: calls whose function argument runs once for the whole app (Nuxt plugins, Vue plugins' install)
_APP_SETUP_CALLS = frozenset({"defineNuxtPlugin", "defineNuxtRouteMiddleware", "boot"})
_APP_SETUP_NAMES = frozenset({"install"})
#: roles that decide a client's owner, found going outwards from where it is created
_OWNER_BY_ROLE = {
    Role.EFFECT: Owner.EFFECT,
    Role.MOUNT: Owner.MOUNT,
    Role.COMPONENT: Owner.RENDER,
    Role.HOOK: Owner.RENDER,
    Role.RENDER: Owner.RENDER,
}
_CLASS_FIELD_TYPES = ("field_definition", "public_field_definition")
_CLASS_BODY = frozenset({"class_body"})
#: what a component class extends: React.Component/PureComponent, Vue (class components), custom elements
_COMPONENT_BASES = ("Component", "Vue", "LitElement", "HTMLElement")


def add_client(facts: FileFacts, roles: Roles, node: Node) -> None:
    """Record ``node`` (a ``new_expression``) when it constructs a Pusher or Echo client, or the server SDK."""
    ctor = node.child_by_field_name("constructor")
    if ctor is None:
        return
    if ctor.type == "identifier" and not _imports_a_client_library(facts) and text(ctor) not in ("Pusher", "Echo"):
        return  # new Date(), new Map(): nothing in this file could make them a client
    library = constructor_library(facts.resolver, ctor)
    if library is None:
        return
    found = arguments(node.child_by_field_name("arguments"))
    first = _object_of(facts.resolver, found[0]) if found else None
    if library == SERVER_PACKAGE or (library == PUSHER_JS and first is not None and _has_server_options(first)):
        reason = "imported from 'pusher'" if library == SERVER_PACKAGE else "given appId/secret"
        facts.servers.append(ServerClient(node, f"{text(ctor)} {reason}"))
        return
    if library == LARAVEL_ECHO:
        options = found[0] if found else None
        key = object_property(first, "key") if first is not None else None
    else:
        key = found[0] if found else None
        options = found[1] if len(found) > 1 else None
    enclosing = roles.around(node)
    owner, owner_fn = ownership(facts, roles, node, enclosing)
    client = Client(node, key, options, enclosing, library, owner, owner_fn)
    facts.clients.append(client)
    facts.client_at[node.id] = client


def _imports_a_client_library(facts: FileFacts) -> bool:
    """True when the file imports or requires pusher-js, pusher or laravel-echo under some name."""
    return any(_import_source(found.source) is not None for found in facts.imports)


def constructor_library(resolver: Resolver, ctor: Node) -> str | None:
    """``pusher-js``, ``laravel-echo``, ``pusher`` (the server SDK) or None, for a ``new`` expression's callee.

    An imported or required name says where it comes from; a global ``Pusher``/``Echo`` (a script
    tag, ``window.Pusher``) is the browser library.
    """
    name = text(ctor)
    if ctor.type == "identifier":
        binding = resolver.lookup(name, ctor)
        source = _import_source(binding.source if binding is not None and binding.kind == "import" else None)
        if source is None and binding is not None and binding.node is not None and binding.kind == "value":
            source = _required_source(binding.node)
        if source is not None:
            return source
    if name == "Pusher" or name.endswith(".Pusher"):
        return PUSHER_JS
    if name == "Echo" or name.endswith(".Echo"):
        return LARAVEL_ECHO
    return None


def _import_source(source: str | None) -> str | None:
    if source is None:
        return None
    if source == SERVER_PACKAGE or source.startswith(SERVER_PACKAGE + "/"):
        return SERVER_PACKAGE
    if source.startswith("pusher-js"):
        return PUSHER_JS
    if source == LARAVEL_ECHO:
        return LARAVEL_ECHO
    return None


def _required_source(value: Node) -> str | None:
    """The package of ``require('x')`` (or ``require('x').default``)."""
    value = unwrap(value)
    if value.type == "member_expression":
        value = unwrap(value.child_by_field_name("object") or value)
    if value.type != "call_expression" or text(value.child_by_field_name("function") or value) != "require":
        return None
    found = arguments(value.child_by_field_name("arguments"))
    return _import_source(text(found[0]).strip("'\"`")) if found and found[0].type == "string" else None


def _object_of(resolver: Resolver, node: Node) -> Node | None:
    """The object literal ``node`` is, directly or through a ``const``."""
    node = unwrap(node)
    if node.type == "identifier":
        values = resolver.values_of(node)
        node = unwrap(values[0]) if values else node
    return node if node.type == "object" else None


def _has_server_options(options: Node) -> bool:
    keys, _ = object_keys(options)
    return any(key in keys for key in _SERVER_OPTIONS)


def ownership(facts: FileFacts, roles: Roles, node: Node, enclosing: Func | None) -> tuple[Owner, Node | None]:
    """Where a client is created, as an :class:`Owner`, and the function that owns it (if one does)."""
    ancestry = facts.src.ancestry
    if _app_wide(ancestry, node, enclosing):
        return Owner.APP, None
    if enclosing is None:
        if any(parent.type in _CLASS_FIELD_TYPES for parent in ancestry.ancestors(node)):
            return (Owner.INSTANCE if _component_class(ancestry, node) else Owner.FUNCTION), None
        if facts.src.in_script_setup(node):  # Vue <script setup> runs once per component instance
            return Owner.MOUNT, None
        return Owner.MODULE, None
    for func in enclosing.outwards():
        owner = _OWNER_BY_ROLE.get(func.role)
        if owner is not None:
            return owner, func.node
        if func.name == "constructor":
            # a component has one per mount; a service class is usually made once, by code not seen here
            return (Owner.INSTANCE if _component_class(ancestry, func.node) else Owner.FUNCTION), func.node
        if func.name == "data" and facts.src.is_vue:
            return Owner.MOUNT, func.node
    return Owner.FUNCTION, None


def _component_class(ancestry: Ancestry, node: Node) -> bool:
    """True when ``node`` is in a class that extends a component class (React's, Vue's, a custom element)."""
    body = ancestry.nearest(node, _CLASS_BODY)
    owner = ancestry.parent(body) if body is not None else None
    heritage = next((child for child in owner.named_children if child.type == "class_heritage"), None) if owner else None
    return heritage is not None and any(word in text(heritage) for word in _COMPONENT_BASES)


def _app_wide(ancestry: Ancestry, node: Node, enclosing: Func | None) -> bool:
    """Created once for the app: in a plugin, kept on ``window``, or a guarded singleton."""
    for func in enclosing.outwards() if enclosing is not None else ():
        if ancestry.called_with(func.node) in _APP_SETUP_CALLS or func.name in _APP_SETUP_NAMES:
            return True
    stop = enclosing.node if enclosing is not None else None
    for parent in ancestry.ancestors(node, stop=stop):
        if parent.type == "if_statement":
            return True  # if (!window.Echo) window.Echo = new Echo(...), if (!client) client = ...
        if parent.type == "augmented_assignment_expression":
            return True  # client ??= new Pusher(...)
        if parent.type == "assignment_expression":
            left = text(parent.child_by_field_name("left") or parent)
            if left.startswith(("window.", "globalThis.", "self.")):
                return True
    return False


def is_client(facts: FileFacts, recv: Node) -> bool:
    """True when ``recv`` names a Pusher or Echo client (by name, or set to a client of this file)."""
    lowered = text(recv).lower()
    if "pusher" in lowered or "echo" in lowered:
        return True
    values = facts.resolver.values_of(recv)
    return any(value.type == "new_expression" and value.id in facts.client_at for value in values)


def is_echo(recv: Node) -> bool:
    """A receiver that is Laravel Echo: ``window.Echo``, ``Echo``, ``echo``, ``this.$echo``,
    ``useNuxtApp().$echo``... told by name, which is how every app we know of reaches it."""
    return "echo" in text(recv).lower()


def is_channelish(recv: Node) -> bool:
    """A receiver whose name suggests a Pusher channel or client (``channel``, ``pusherChannel``...)."""
    lowered = text(recv).lower()
    return "channel" in lowered or "pusher" in lowered
