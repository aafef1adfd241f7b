"""Laravel's side of broadcasting, read from PHP with tree-sitter (never run): event classes,
``routes/channels.php``, where ``/broadcasting/auth`` is registered, dispatches, and the ``default``
of ``config/broadcasting.php`` and ``config/queue.php``.

Names are read as :class:`~pusher_doctor.scan.values.Pattern`: ``'orders.'.$this->order->id`` is
``orders.{id}``; what cannot be read becomes a hole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.backend.model import (
    Backend,
    BroadcastRoutes,
    ChannelRoute,
    ConfigDefault,
    Dispatch,
    LaravelEvent,
    SentChannel,
)
from pusher_doctor.scan.sources import Location, SourceFile
from pusher_doctor.scan.tree import text
from pusher_doctor.scan.values import Hole, Pattern

#: the channel classes of ``broadcastOn`` and the prefix each adds to the name
CHANNEL_PREFIXES = {
    "Channel": "",
    "PrivateChannel": "private-",
    "PresenceChannel": "presence-",
    "EncryptedPrivateChannel": "private-encrypted-",
}
BROADCAST_INTERFACES = ("ShouldBroadcast", "ShouldBroadcastNow")
#: the framework's other event and job interfaces: known not to make a class broadcast
OTHER_FRAMEWORK_INTERFACES = frozenset({
    "ShouldQueue", "ShouldQueueAfterCommit", "ShouldDispatchAfterCommit", "ShouldBeUnique",
    "ShouldBeUniqueUntilProcessing", "ShouldBeEncrypted", "ShouldHandleEventsAfterCommit",
})
#: Laravel 11's framework defaults, used when the app has no config file of its own
FRAMEWORK_DEFAULTS = {"broadcasting": ("BROADCAST_CONNECTION", "null"), "queue": ("QUEUE_CONNECTION", "database")}


def short(name: str) -> str:
    """``\\Illuminate\\Contracts\\Broadcasting\\ShouldBroadcast`` -> ``ShouldBroadcast``."""
    return name.rsplit("\\", 1)[-1]


def walk(node: Node) -> Iterator[Node]:
    """Every named node under ``node``, depth first, in source order."""
    cursor = [node]
    while cursor:
        current = cursor.pop()
        yield current
        cursor.extend(reversed(current.named_children))


#: concatenations followed, at most: a longer chain is generated code, and its rest becomes a hole
MAX_DEPTH = 32


def php_pattern(node: Node, depth: int = 0) -> Pattern:
    """What string a PHP expression can be: literals, ``.`` concatenation, interpolated strings."""
    if node.type == "argument" and node.named_child_count:
        node = node.named_children[-1]
    if depth > MAX_DEPTH:
        return Pattern((Hole("..."),))
    if node.type == "parenthesized_expression" and node.named_child_count:
        return php_pattern(node.named_children[0], depth + 1)
    if node.type == "string":
        return Pattern(("".join(text(part) for part in node.named_children if part.type == "string_content"),))
    if node.type == "encapsed_string":
        found = Pattern(())
        for part in node.named_children:
            if part.type in ("string_content", "escape_sequence"):
                found = found + Pattern((text(part),))
            else:
                found = found + Pattern((Hole(_label(part)),))
        return found
    if node.type == "binary_expression" and _operator(node) == ".":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is not None and right is not None:
            return php_pattern(left, depth + 1) + php_pattern(right, depth + 1)
    return Pattern((Hole(_label(node)),))


def _label(node: Node) -> str:
    """A hole's label: the last name of ``$this->order->id`` (``id``), or the expression's text."""
    if node.type in ("member_access_expression", "nullsafe_member_access_expression"):
        name = node.child_by_field_name("name")
        if name is not None:
            return text(name)
    if node.type == "variable_name":
        return text(node).lstrip("$")
    return " ".join(text(node).split())[:40]


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return text(operator) if operator is not None else ""


def literal(node: Node | None) -> str | None:
    """The value of a PHP string literal with no interpolation, else None."""
    if node is None:
        return None
    if node.type == "argument" and node.named_child_count:
        node = node.named_children[-1]
    return php_pattern(node).literal if node.type in ("string", "encapsed_string") else None


def call_arguments(call: Node) -> list[Node]:
    """The ``argument`` nodes of a call."""
    args = call.child_by_field_name("arguments")
    return [arg for arg in args.named_children if arg.type == "argument"] if args is not None else []


def array_items(node: Node | None) -> dict[str, Node]:
    """``['key' => value, ...]`` as key -> value node (string keys only)."""
    found: dict[str, Node] = {}
    if node is None:
        return found
    if node.type == "argument" and node.named_child_count:
        node = node.named_children[-1]
    if node.type != "array_creation_expression":
        return found
    for element in node.named_children:
        if element.type == "array_element_initializer" and element.named_child_count == 2:
            key = literal(element.named_children[0])
            if key is not None:
                found[key] = element.named_children[1]
    return found


def string_list(node: Node | None) -> tuple[str, ...]:
    """``['web', 'auth:sanctum']`` or ``'web'`` as a tuple of the literal strings in it."""
    if node is None:
        return ()
    value = literal(node)
    if value is not None:
        return (value,)
    if node.type != "array_creation_expression":
        return ()
    found = []
    for element in node.named_children:
        if element.type == "array_element_initializer" and element.named_child_count == 1:
            item = literal(element.named_children[0])
            if item is not None:
                found.append(item)
    return tuple(found)


def read_php(backend: Backend, src: SourceFile) -> None:
    """Add what one PHP file says about broadcasting to ``backend``."""
    root = src.tree.root_node
    namespace = ""
    for node in walk(root):
        kind = node.type
        if kind == "namespace_definition":
            name = node.child_by_field_name("name")
            namespace = text(name) if name is not None else ""
        elif kind in ("class_declaration", "interface_declaration"):
            _read_class(backend, src, node, namespace)
        elif kind == "scoped_call_expression":
            _read_static_call(backend, src, node)
        elif kind == "member_call_expression":
            _read_member_call(backend, src, node)
        elif kind == "function_call_expression":
            _read_function_call(backend, src, node)
    if src.rel.endswith("config/broadcasting.php") or src.rel == "broadcasting.php":
        backend.broadcast_default = _config_default(src) or backend.broadcast_default
        backend.broadcasting_config = src.text
    elif src.rel.endswith("config/app.php"):
        backend.app_config = src.text
    elif src.rel.endswith("config/queue.php"):
        backend.queue_default = _config_default(src) or backend.queue_default
        backend.queue_after_commit = re.search(r"'after_commit'\s*=>\s*true", src.text) is not None
    if "auth:sanctum" in src.text and src.rel.startswith("routes/") and backend.sanctum is None:
        line = next(number for number, row in enumerate(src.text.split("\n")) if "auth:sanctum" in row)
        backend.sanctum = _line_location(src, line)


def _line_location(src: SourceFile, row: int) -> Location:
    return Location(src.rel, row + 1, 1, src.text.split("\n")[row].strip())


def _read_class(backend: Backend, src: SourceFile, node: Node, namespace: str) -> None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return
    name = text(name_node)
    extends: str | None = None
    implements: list[str] = []
    for child in node.named_children:
        if child.type == "base_clause":
            parents = [short(text(part)) for part in child.named_children]
            if node.type == "interface_declaration":
                implements.extend(parents)  # an interface extends interfaces
            elif parents:
                extends = parents[0]
        elif child.type == "class_interface_clause":
            implements.extend(short(text(part)) for part in child.named_children)
    backend.hierarchy[name] = (extends, tuple(implements))
    body = node.child_by_field_name("body")
    if node.type != "class_declaration" or body is None:
        return
    methods = {text(m.child_by_field_name("name")): m for m in body.named_children
               if m.type == "method_declaration" and m.child_by_field_name("name") is not None}
    broadcasts = any(interface in BROADCAST_INTERFACES for interface in implements)
    if "broadcastOn" not in methods and not broadcasts:
        return
    traits = tuple(short(text(part)) for use in body.named_children if use.type == "use_declaration"
                   for part in use.named_children if part.type in ("name", "qualified_name"))
    fqcn = f"{namespace}\\{name}" if namespace else name
    event = LaravelEvent(name, fqcn, src.location(name_node), extends, tuple(implements), traits)
    if "broadcastOn" in methods:
        method = methods["broadcastOn"]
        event.broadcast_on = src.location(method.child_by_field_name("name"))
        event.channels.extend(_channels_of(src, method))
    if "broadcastAs" in methods:
        returned = _returned(methods["broadcastAs"])
        if returned is not None:
            event.broadcast_as = literal(returned)
            event.broadcast_as_location = src.location(returned)
    event.broadcast_with = "broadcastWith" in methods
    event.unbounded.extend(_unbounded_properties(src, body, methods.get("__construct")))
    for prop in body.named_children:
        if prop.type == "property_declaration" and "$connection" in text(prop) and "'sync'" in text(prop):
            event.sync_connection = True
        if prop.type == "property_declaration" and "$afterCommit" in text(prop) and "true" in text(prop).lower():
            event.after_commit = True
    backend.events.append(event)


#: property types whose size has no bound: a whole collection, array or page of models
UNBOUNDED_TYPES = frozenset({"array", "Collection", "EloquentCollection", "LengthAwarePaginator", "Paginator",
                             "iterable"})


def _unbounded_properties(src: SourceFile, body: Node, constructor: Node | None) -> Iterator[tuple[str, str, Location]]:
    """Public properties (declared, or promoted in the constructor) typed as a collection or an array."""
    declared = [(prop, prop.child_by_field_name("type")) for prop in body.named_children
                if prop.type == "property_declaration"]
    parameters = constructor.child_by_field_name("parameters") if constructor is not None else None
    promoted = [(param, param.child_by_field_name("type")) for param in (parameters.named_children if parameters else ())
                if param.type == "property_promotion_parameter"]
    for node, kind in (*declared, *promoted):
        visibility = next((c for c in node.named_children if c.type == "visibility_modifier"), None)
        type_name = short(text(kind)).lstrip("?") if kind is not None else ""
        if visibility is None or text(visibility) != "public" or type_name not in UNBOUNDED_TYPES:
            continue
        name = next((c for c in walk(node) if c.type == "variable_name"), None)
        if name is not None:
            yield text(name), type_name, src.location(name)


def _returned(method: Node) -> Node | None:
    """The expression a method returns first."""
    for node in walk(method):
        if node.type == "return_statement" and node.named_child_count:
            return node.named_children[0]
    return None


def _channels_of(src: SourceFile, method: Node) -> Iterator[SentChannel]:
    """The channels ``broadcastOn`` returns: ``new PrivateChannel(...)``, and plain strings (public)."""
    for node in walk(method):
        if node.type == "object_creation_expression":
            classes = [short(text(c)) for c in node.named_children if c.type in ("name", "qualified_name")]
            args = call_arguments(node) if node.child_by_field_name("arguments") else [
                a for c in node.named_children if c.type == "arguments" for a in c.named_children]
            if classes and classes[0] in CHANNEL_PREFIXES and args:
                yield SentChannel(Pattern((CHANNEL_PREFIXES[classes[0]],)) + php_pattern(args[0]), src.location(node))
        elif node.type == "return_statement" and node.named_child_count:
            returned = node.named_children[0]
            items = [returned] if returned.type in ("string", "encapsed_string") else [
                element.named_children[0] for element in returned.named_children
                if returned.type == "array_creation_expression" and element.type == "array_element_initializer"
                and element.named_child_count == 1 and element.named_children[0].type in ("string", "encapsed_string")]
            for item in items:
                yield SentChannel(php_pattern(item), src.location(item))


def _read_static_call(backend: Backend, src: SourceFile, node: Node) -> None:
    scope, name = node.child_by_field_name("scope"), node.child_by_field_name("name")
    if scope is None or name is None:
        return
    scope_name, method = short(text(scope)), text(name)
    args = call_arguments(node)
    if scope_name == "Broadcast" and method == "channel" and args:
        pattern = literal(args[0])
        if pattern is not None:
            backend.routes.append(ChannelRoute(pattern, src.location(node)))
            backend.channels_file = backend.channels_file or src.rel
    elif scope_name == "Broadcast" and method == "routes":
        options = array_items(args[0]) if args else {}
        middleware = string_list(options["middleware"]) if "middleware" in options else None
        backend.broadcast_routes.append(BroadcastRoutes("Broadcast::routes()", middleware, src.location(node)))
    elif method in ("dispatch", "broadcast", "dispatchIf", "dispatchUnless") and scope_name[:1].isupper():
        backend.dispatches.append(Dispatch(scope_name, _to_others(node), src.location(node),
                                           _in_transaction(src, node)))


def _to_others(call: Node) -> bool:
    """True when ``call`` is the receiver of ``->toOthers()``."""
    parent = call.parent
    if parent is None or parent.type != "member_call_expression":
        return False
    name = parent.child_by_field_name("name")
    return name is not None and text(name) == "toOthers"


def _read_member_call(backend: Backend, src: SourceFile, node: Node) -> None:
    name = node.child_by_field_name("name")
    if name is None:
        return
    method = text(name)
    args = call_arguments(node)
    if method == "withBroadcasting" and args:
        options = array_items(args[1]) if len(args) > 1 else {}
        middleware = string_list(options["middleware"]) if "middleware" in options else None
        backend.broadcast_routes.append(BroadcastRoutes("withBroadcasting()", middleware, src.location(name)))
    elif method == "withRouting":
        for arg in args:
            label = next((c for c in arg.named_children if c.type == "name"), None)
            if label is not None and text(label) == "channels":
                backend.broadcast_routes.append(BroadcastRoutes("withRouting(channels: ...)", None,
                                                                 src.location(label)))


def _read_function_call(backend: Backend, src: SourceFile, node: Node) -> None:
    function = node.child_by_field_name("function")
    if function is None or short(text(function)) not in ("broadcast", "event"):
        return
    args = call_arguments(node)
    created = args[0].named_children[-1] if args and args[0].named_child_count else None
    if created is None or created.type != "object_creation_expression":
        return
    classes = [short(text(c)) for c in created.named_children if c.type in ("name", "qualified_name")]
    if classes:
        backend.dispatches.append(Dispatch(classes[0], _to_others(node), src.location(node),
                                           _in_transaction(src, node)))


def _config_default(src: SourceFile) -> ConfigDefault | None:
    """The ``'default'`` of a config file's returned array."""
    for node in src.tree.root_node.named_children:
        if node.type != "return_statement" or not node.named_child_count:
            continue
        value = array_items(node.named_children[0]).get("default")
        if value is None:
            return None
        if value.type == "function_call_expression" and text(value.child_by_field_name("function")) == "env":
            args = call_arguments(value)
            name = literal(args[0]) if args else None
            fallback = literal(args[1]) if len(args) > 1 else None
            return ConfigDefault(name, fallback, src.location(value))
        return ConfigDefault(None, literal(value), src.location(value))
    return None


def implements_broadcast(backend: Backend, event: LaravelEvent) -> bool | None:
    """True when the class (or a parent, or an interface's parent) is ShouldBroadcast*, False when its
    whole hierarchy was read and is not, None when a parent is outside the scanned code."""
    return implements(backend, event.name, BROADCAST_INTERFACES)


def implements(backend: Backend, class_name: str, interfaces: tuple[str, ...]) -> bool | None:
    """True when ``class_name``, a parent or an interface's parent is one of ``interfaces``, False when its whole
    hierarchy was read and is not, None when a parent is outside the scanned code."""
    seen: set[str] = set()
    pending: list[str] = [class_name]
    unknown = False
    while pending:
        name = pending.pop()
        if name in interfaces:
            return True
        if name in seen:
            continue
        seen.add(name)
        if name in OTHER_FRAMEWORK_INTERFACES | frozenset(BROADCAST_INTERFACES):
            continue
        if name not in backend.hierarchy:
            unknown = unknown or name != class_name
            continue
        extends, implemented = backend.hierarchy[name]
        pending.extend(implemented)
        if extends:
            pending.append(extends)
    return None if unknown else False


#: the functions that end a closure's or a method's own code
_FUNCTION_TYPES = ("anonymous_function", "arrow_function", "function_definition", "method_declaration")


def _in_transaction(src: SourceFile, node: Node) -> str | None:
    """The transaction a dispatch runs in before it commits: inside ``DB::transaction(function () {...})``, or
    after ``DB::beginTransaction()`` and before ``DB::commit()`` in the same function."""
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTION_TYPES:
        parent = parent.parent
    if parent is None:
        return None
    if parent.type in ("anonymous_function", "arrow_function"):
        call = parent.parent.parent.parent if parent.parent and parent.parent.parent else None
        if call is not None and call.type == "scoped_call_expression" and text(call).startswith(("DB::transaction",
                                                                                                 "\\DB::transaction")):
            return "DB::transaction()"
        return None
    before = src.parsed[parent.start_byte:node.start_byte]
    after = src.parsed[node.end_byte:parent.end_byte]
    if b"beginTransaction()" in before and b"commit()" in after:
        return "DB::beginTransaction()"
    return None
