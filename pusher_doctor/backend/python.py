"""A Python backend's use of the ``pusher`` SDK, read with tree-sitter (never run): each
``pusher.Pusher(...)`` and its options, each ``trigger(...)``/``trigger_batch(...)`` with its channel
and event, the ``try``/``except`` around it, the transaction it runs in, and where the env file is loaded.

Names are read as :class:`~pusher_doctor.scan.values.Pattern`: ``f"{hotel.slug}-room-{room.number}-chat"``
is ``{slug}-room-{number}-chat``; a name bound once in the module or the function (``CHANNEL = ...``),
``str.format`` and ``%`` formatting, and a same-module function that returns one expression are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from tree_sitter import Node

from pusher_doctor.backend.laravel import walk
from pusher_doctor.backend.model import PYTHON, Backend, EnvLoad, ServerClient, Trigger
from pusher_doctor.scan.sources import SourceFile
from pusher_doctor.scan.tree import text
from pusher_doctor.scan.values import Hole, Pattern

#: what builds the SDK's client
CLIENT_CALLS = ("Pusher", "pusher.Pusher", "Pusher.from_env", "pusher.Pusher.from_env", "Pusher.from_url",
                "pusher.Pusher.from_url")
TRIGGER_METHODS = ("trigger", "trigger_batch")
#: calls that load the env file into os.environ
DOTENV_CALLS = ("load_dotenv", "dotenv.load_dotenv", "read_dotenv", "dotenv.read_dotenv")
#: other ways settings come from an env file: these read it themselves (or are read where they are used)
OTHER_LOADERS = {"environ.Env": "django-environ", "read_env": "django-environ", "decouple": "python-decouple",
                 "BaseSettings": "pydantic-settings"}
#: exceptions whose handler catches whatever a trigger raises (the SDK's errors, requests' errors)
CATCH_ALL = frozenset({"Exception", "BaseException", "PusherError", "PusherBadRequest", "PusherBadAuth",
                       "PusherForbidden", "PusherBadStatus", "RequestException", "ConnectionError",
                       "requests.RequestException", "requests.exceptions.RequestException"})
#: logging calls a production log level hides
QUIET_LOG_METHODS = ("debug",)
_FUNCTIONS = ("function_definition", "lambda")
_PERCENT_FORMAT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_BRACE_FORMAT = re.compile(r"\{[^{}]*\}")
_MAX_DEPTH = 6


def read_python(backend: Backend, src: SourceFile, helpers: Mapping[str, Node] | None = None,
                clients: frozenset[str] = frozenset()) -> list[Wrapper]:
    """Add the file's Pusher clients, triggers and env loads to ``backend``. ``helpers`` are the
    one-expression functions of the other files (:func:`helper_functions`), by name: a channel name built by
    ``room_channel(...)`` imported from another module is followed into it. ``clients`` are the names the SDK's
    clients are bound to in any file (:func:`client_names`), so ``client.trigger`` in a module that imports
    ``client`` counts. Returns the file's functions that trigger on their parameters (see :func:`expand_wrappers`)."""
    wrappers: list[Wrapper] = []
    root = src.tree.root_node
    sends = _imports_pusher(src)
    for loader, name in OTHER_LOADERS.items():
        if loader in src.text and backend.other_env_loader is None:
            backend.other_env_loader = name
    for node in walk(root):
        if node.type == "pair" and backend.atomic_requests is None and _sets_atomic_requests(node):
            backend.atomic_requests = src.location(node)
        if node.type != "call":
            continue
        function = node.child_by_field_name("function")
        if function is None:
            continue
        called = text(function)
        method = called.rsplit(".", 1)[-1]
        if called in DOTENV_CALLS or method == "read_env":
            backend.env_loads.append(EnvLoad(src.rel, node.start_byte, _module_level(node)))
        elif called in CLIENT_CALLS and sends:
            backend.clients.append(_client(src, node))
        elif function.type == "attribute" and method in TRIGGER_METHODS and (sends or _pusherish(function, clients)):
            trigger = _trigger(src, node, method, helpers or {})
            if trigger is not None:
                backend.triggers.append(trigger)
                wrapper = _wrapper(node, trigger)
                if wrapper is not None:
                    wrappers.append(wrapper)
    return wrappers


@dataclass(frozen=True)
class Wrapper:
    """A module-level function that triggers on its own parameters (``def notify(channel, event, data)``): its
    call sites say which channel and event are sent."""

    function: str
    #: (position, name) of the parameter that is the channel, or the event; None when that one is fixed
    channel: tuple[int, str] | None
    event: tuple[int, str] | None
    trigger: Trigger


def _wrapper(call: Node, trigger: Trigger) -> Wrapper | None:
    """The wrapper a trigger is in, when its channel or event is a parameter of a module-level function."""
    function = call.parent
    while function is not None and function.type not in _FUNCTIONS:
        function = function.parent
    if function is None or function.type != "function_definition" or not _at_module_level(function):
        return None
    parameters = _parameter_names(function)
    found = []
    for pattern in (trigger.channels[0] if len(trigger.channels) == 1 else None, trigger.event):
        label = pattern.holes[0].label if pattern is not None and not pattern.text and len(pattern.holes) == 1 else None
        found.append((parameters.index(label), label) if label in parameters else None)
    if found == [None, None]:
        return None
    name = function.child_by_field_name("name")
    return Wrapper(text(name), found[0], found[1], trigger) if name is not None else None


def _at_module_level(function: Node) -> bool:
    parent = function.parent
    if parent is not None and parent.type == "decorated_definition":
        parent = parent.parent
    return parent is not None and parent.type == "module"


def _parameter_names(function: Node) -> list[str]:
    parameters = function.child_by_field_name("parameters")
    names = []
    for parameter in parameters.named_children if parameters is not None else ():
        name = parameter if parameter.type == "identifier" else parameter.child_by_field_name("name")
        if name is None and parameter.named_child_count:
            name = parameter.named_children[0]
        names.append(text(name) if name is not None else "")
    return names


def _argument(call: Node, parameter: tuple[int, str] | None) -> Node | None:
    """What a call passes for a parameter: by keyword, else by position."""
    if parameter is None:
        return None
    index, name = parameter
    positional = positional_arguments(call)
    return keyword_arguments(call).get(name) or (positional[index] if index < len(positional) else None)


def expand_wrappers(backend: Backend, src: SourceFile, wrappers: Sequence[Wrapper], helpers: Mapping[str, Node]) -> None:
    """A trigger for each call of a wrapper in ``src``, with the channel and event its arguments give, located at
    the call (its transaction and view are the call's; a thrown-away error is the wrapper's, reported there)."""
    by_name = {wrapper.function: wrapper for wrapper in wrappers}
    for node in walk(src.tree.root_node):
        function = node.child_by_field_name("function") if node.type == "call" else None
        wrapper = by_name.get(last_name(text(function))) if function is not None else None
        if wrapper is None:
            continue
        resolver = Resolver(node, helpers)
        channel, event = _argument(node, wrapper.channel), _argument(node, wrapper.event)
        if (wrapper.channel and channel is None) or (wrapper.event and event is None):
            continue
        channels = wrapper.trigger.channels
        if channel is not None:
            value = resolver.value(channel)
            items = value.named_children if value.type in ("list", "tuple") else [value]
            channels = tuple(resolver.pattern(item) for item in items)
        backend.triggers.append(Trigger(
            PYTHON, src.location(node), channels, resolver.pattern(event) if event is not None else wrapper.trigger.event,
            None, _in_transaction(node), _in_view(node), wrapper.trigger.receiver))


def _sets_atomic_requests(pair: Node) -> bool:
    """``'ATOMIC_REQUESTS': True`` in a dict (Django's DATABASES setting)."""
    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    return key is not None and value is not None and text(key).strip("'\"") == "ATOMIC_REQUESTS" and value.type == "true"


def _pusherish(function: Node, clients: frozenset[str]) -> bool:
    """True when a ``x.trigger`` call's receiver is a client built elsewhere or named for Pusher
    (``pusher_client``, ``self.pusher``): in a file that does not import the SDK, other objects' ``trigger``
    methods (state machines, signals) are not it."""
    receiver = function.child_by_field_name("object")
    if receiver is None:
        return False
    return "pusher" in text(receiver).lower() or text(receiver).rsplit(".", 1)[-1] in clients


def client_names(src: SourceFile) -> set[str]:
    """The names a file binds the SDK's clients to (``client = pusher.Pusher(...)``)."""
    if not _imports_pusher(src):
        return set()
    found = set()
    for node in walk(src.tree.root_node):
        if node.type == "assignment":
            right, left = node.child_by_field_name("right"), node.child_by_field_name("left")
            function = right.child_by_field_name("function") if right is not None and right.type == "call" else None
            if function is not None and left is not None and text(function) in CLIENT_CALLS:
                found.add(text(left).rsplit(".", 1)[-1])
    return found


def helper_functions(module: Node) -> dict[str, Node]:
    """The module-level functions of a parsed file whose body is one ``return EXPR``: name -> EXPR."""
    found = {}
    for node in module.named_children:
        definition = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        if definition is None or definition.type != "function_definition":
            continue
        name, body = definition.child_by_field_name("name"), definition.child_by_field_name("body")
        if name is None or body is None:
            continue
        statements = [s for s in body.named_children if s.type != "comment" and not (
            s.type == "expression_statement" and s.named_children and s.named_children[0].type == "string")]
        if len(statements) == 1 and statements[0].type == "return_statement" and statements[0].named_child_count:
            found[text(name)] = statements[0].named_children[0]
    return found


def _imports_pusher(src: SourceFile) -> bool:
    return re.search(r"^\s*(?:import pusher|from pusher import)", src.text, re.MULTILINE) is not None


def _module_level(node: Node) -> bool:
    """True when ``node`` runs at import time: no function or lambda around it."""
    parent = node.parent
    while parent is not None:
        if parent.type in _FUNCTIONS:
            return False
        parent = parent.parent
    return True


def keyword_arguments(call: Node) -> dict[str, Node]:
    args = call.child_by_field_name("arguments")
    found = {}
    for arg in args.named_children if args is not None else ():
        if arg.type == "keyword_argument":
            name, value = arg.child_by_field_name("name"), arg.child_by_field_name("value")
            if name is not None and value is not None:
                found[text(name)] = value
    return found


def positional_arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [arg for arg in args.named_children if arg.type not in ("keyword_argument", "comment",
                                                                   "list_splat", "dictionary_splat")] if args else []


def _client(src: SourceFile, node: Node) -> ServerClient:
    options: dict[str, object] = {}
    texts: dict[str, str] = {}
    names = ("app_id", "key", "secret", "ssl", "host", "port", "timeout", "cluster")  # the SDK's order
    for name, value in zip(names, positional_arguments(node), strict=False):
        options[name], texts[name] = _literal(value), text(value)
    for name, value in keyword_arguments(node).items():
        options[name], texts[name] = _literal(value), text(value)
    reads = tuple(match.group(1) for match in re.finditer(
        r"os\.(?:environ\.get|getenv|environ)\s*[\(\[]\s*['\"]([A-Za-z_][A-Za-z0-9_]*)", text(node)))
    called = text(node.child_by_field_name("function"))
    indirect = called if called.endswith(("from_env", "from_url")) or "**" in text(node) else None
    return ServerClient(PYTHON, src.location(node), options, texts, _module_level(node), reads, node.start_byte,
                        indirect, _bound_to(node))


def _bound_to(call: Node) -> str | None:
    """The name a client is kept under: an assignment's target, or the function that returns it."""
    parent = call.parent
    if parent is not None and parent.type == "assignment":
        target = parent.child_by_field_name("left")
        return last_name(text(target)) if target is not None else None
    if parent is not None and parent.type == "return_statement":
        function = parent.parent
        while function is not None and function.type != "function_definition":
            function = function.parent
        name = function.child_by_field_name("name") if function is not None else None
        return text(name) + "()" if name is not None else None
    return None


def last_name(expression: str) -> str:
    """``self.pusher`` -> ``pusher``; ``realtime.get_client()`` -> ``get_client()``."""
    return expression.rsplit(".", 1)[-1].replace(" ", "")


def _literal(node: Node) -> object:
    """A literal's value (str, bool, int, None for ``None``), or None for an expression."""
    if node.type == "true":
        return True
    if node.type == "false":
        return False
    if node.type == "integer":
        try:
            return int(text(node), 0)
        except ValueError:
            return None
    if node.type == "string":
        return Resolver(node).pattern(node).literal
    return None


def _trigger(src: SourceFile, node: Node, method: str, helpers: Mapping[str, Node]) -> Trigger | None:
    positional = positional_arguments(node)
    keywords = keyword_arguments(node)
    if method == "trigger_batch":
        return None  # a list of dicts built at run time: not followed
    channels_node = positional[0] if positional else keywords.get("channels")
    event_node = positional[1] if len(positional) > 1 else keywords.get("event_name")
    if channels_node is None or event_node is None:
        return None
    resolver = Resolver(node, helpers)
    channels_node = resolver.value(channels_node)
    items = channels_node.named_children if channels_node.type in ("list", "tuple") else [channels_node]
    channels = tuple(resolver.pattern(item) for item in items)
    receiver = node.child_by_field_name("function").child_by_field_name("object")
    return Trigger(PYTHON, src.location(node), channels, resolver.pattern(event_node), _swallowed(node),
                   _in_transaction(node), _in_view(node), last_name(text(receiver)) if receiver else "")


def _swallowed(node: Node) -> str | None:
    """How an error of the call at ``node`` is thrown away, or None: an ``except`` around it (in the same
    function) that catches everything a trigger raises and does nothing visible with it."""
    child, parent = node, node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        if parent.type == "try_statement" and parent.child_by_field_name("body") == child:
            for clause in parent.named_children:
                if clause.type != "except_clause":
                    continue
                caught = _caught(clause)
                if caught is not None and (caught == "" or caught & CATCH_ALL):
                    quiet = _quiet_body(clause)
                    if quiet is not None:
                        written = " ".join(text(clause).split(":", 1)[0].split())
                        return f"{written}: {quiet}"
        child, parent = parent, parent.parent
    return None


def _caught(clause: Node) -> frozenset[str] | str | None:
    """The exception names an except clause catches ('' for a bare ``except:``)."""
    value = clause.child_by_field_name("value")
    if value is None:
        types = [c for c in clause.named_children if c.type != "block"]
        if not types:
            return ""
        value = types[0]
    if value.type == "as_pattern" and value.named_child_count:
        value = value.named_children[0]
    names = value.named_children if value.type in ("tuple", "parenthesized_expression") else [value]
    return frozenset(text(name) for name in names) | frozenset(text(name).rsplit(".", 1)[-1] for name in names)


def _quiet_body(clause: Node) -> str | None:
    """What the handler does when that hides the error (``pass``, ``logger.debug(...)``), else None."""
    block = next((c for c in clause.named_children if c.type == "block"), None)
    if block is None:
        return None
    statements = [s for s in block.named_children if s.type != "comment"]
    if not statements:
        return None
    said = []
    for statement in statements:
        if statement.type in ("pass_statement", "continue_statement"):
            said.append(text(statement))
        elif statement.type == "return_statement" and statement.named_child_count == 0:
            said.append("return")
        elif statement.type == "expression_statement" and text(statement) in ("...", "None"):
            said.append(text(statement))
        elif statement.type == "expression_statement" and _quiet_log(statement):
            said.append(text(statement).split("(", 1)[0] + "(...)")
        else:
            return None
    return "; ".join(said)


def _quiet_log(statement: Node) -> bool:
    call = statement.named_children[0] if statement.named_child_count else None
    if call is None or call.type != "call":
        return False
    function = call.child_by_field_name("function")
    return function is not None and function.type == "attribute" and text(function).rsplit(".", 1)[-1] in (
        QUIET_LOG_METHODS)


def _in_transaction(node: Node) -> str | None:
    """The transaction the call runs in before it commits, or None: ``with transaction.atomic():`` or
    ``@transaction.atomic`` around it in the same function, not deferred by ``transaction.on_commit``."""
    parent = node.parent
    while parent is not None:
        if parent.type == "with_statement" and "atomic" in _with_items(parent):
            return "with transaction.atomic()"
        if parent.type == "lambda":
            return None  # a callback runs later (on_commit(lambda: ...)), or whenever it is called
        if parent.type == "function_definition":
            decorated = parent.parent
            if decorated is not None and decorated.type == "decorated_definition":
                for decorator in decorated.named_children:
                    if decorator.type == "decorator" and re.search(r"\batomic\b", text(decorator)):
                        return "@" + text(decorator).lstrip("@").strip()
            return None  # a nested function may be handed to on_commit: not followed
        parent = parent.parent
    return None


def _in_view(node: Node) -> bool:
    """True when the call runs in a Django view's own code: the function around it (no lambda between) takes
    ``request`` and is not decorated ``@transaction.non_atomic_requests``."""
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        parent = parent.parent
    if parent is None or parent.type != "function_definition":
        return False
    decorated = parent.parent
    if decorated is not None and decorated.type == "decorated_definition" and "non_atomic_requests" in text(decorated)[
            :decorated.named_children[-1].start_byte - decorated.start_byte]:
        return False
    parameters = parent.child_by_field_name("parameters")
    names = [text(p).split(":")[0].split("=")[0].strip() for p in parameters.named_children] if parameters else []
    return "request" in names[:2]


def _with_items(statement: Node) -> str:
    clause = next((c for c in statement.named_children if c.type == "with_clause"), None)
    return text(clause) if clause is not None else ""


class Resolver:
    """What string a Python expression can be, within the file of ``anchor``."""

    def __init__(self, anchor: Node, helpers: Mapping[str, Node] | None = None) -> None:
        root = anchor
        while root.parent is not None:
            root = root.parent
        self._root = root
        self._helpers = helpers or {}

    def value(self, node: Node, depth: int = 0) -> Node:
        """The expression a plain name stands for (its one assignment in the function or module)."""
        if node.type == "identifier" and depth < _MAX_DEPTH:
            assigned = self._assignment(node)
            if assigned is not None:
                return self.value(assigned, depth + 1)
        return node

    def pattern(self, node: Node, depth: int = 0) -> Pattern:
        if depth > _MAX_DEPTH:
            return _hole(node)
        kind = node.type
        if kind == "parenthesized_expression" and node.named_child_count:
            return self.pattern(node.named_children[0], depth + 1)
        if kind == "string":
            return self._string(node, depth)
        if kind == "concatenated_string":
            found = Pattern(())
            for part in node.named_children:
                found = found + self.pattern(part, depth + 1)
            return found
        if kind == "binary_operator":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            operator = node.child_by_field_name("operator")
            if left is not None and right is not None and operator is not None:
                if text(operator) == "+":
                    return self.pattern(left, depth + 1) + self.pattern(right, depth + 1)
                if text(operator) == "%":
                    return _formatted(self.pattern(left, depth + 1), _PERCENT_FORMAT, text(right))
        if kind == "call":
            return self._call(node, depth)
        if kind == "identifier":
            assigned = self._assignment(node)
            if assigned is not None:
                return self.pattern(assigned, depth + 1)
        return _hole(node)

    def _string(self, node: Node, depth: int) -> Pattern:
        found = Pattern(())
        for part in node.named_children:
            if part.type in ("string_content", "escape_sequence"):
                found = found + Pattern((text(part),))
            elif part.type == "interpolation":
                expression = part.child_by_field_name("expression")
                found = found + (self.pattern(expression, depth + 1) if expression is not None else _hole(part))
        return found

    def _call(self, node: Node, depth: int) -> Pattern:
        function = node.child_by_field_name("function")
        if function is None:
            return _hole(node)
        if function.type == "attribute" and text(function).endswith(".format"):
            receiver = function.child_by_field_name("object")
            if receiver is not None:
                return _formatted(self.pattern(receiver, depth + 1), _BRACE_FORMAT, "")
        if function.type in ("identifier", "attribute") and text(function) in ("str",) and positional_arguments(node):
            return self.pattern(positional_arguments(node)[0], depth + 1)
        if function.type in ("identifier", "attribute"):
            name = text(function).rsplit(".", 1)[-1]
            own = helper_functions(self._root).get(name) if function.type == "identifier" else None
            returned = own if own is not None else self._helpers.get(name)
            if returned is not None:
                return self.pattern(returned, depth + 1)
        return _hole(node)

    def _assignment(self, name: Node) -> Node | None:
        """The value of the one assignment to ``name`` in its function (before it) or at module level."""
        scope = name.parent
        while scope is not None and scope.type not in ("function_definition", "module"):
            scope = scope.parent
        for container in (scope, self._root):
            if container is None:
                continue
            found = [
                node.child_by_field_name("right") for node in _assignments(container)
                if text(node.child_by_field_name("left")) == text(name)
                and (container.type == "module" or node.start_byte < name.start_byte)
            ]
            if len(found) == 1 and found[0] is not None:
                return found[0]
            if found:
                return None  # reassigned: which value reaches the call is not followed
        return None


def _assignments(container: Node) -> Iterator[Node]:
    """Assignments directly in ``container``'s own scope (not in nested functions or classes)."""
    pending = list(container.named_children)
    while pending:
        node = pending.pop()
        if node.type in ("function_definition", "class_definition", "lambda"):
            continue
        if node.type == "assignment" and node.child_by_field_name("left") is not None:
            yield node
        pending.extend(node.named_children)


def _hole(node: Node) -> Pattern:
    """An unknown part, labelled by its last name (``room.number`` -> ``number``) or its text."""
    if node.type == "attribute":
        attribute = node.child_by_field_name("attribute")
        if attribute is not None:
            return Pattern((Hole(text(attribute)),))
    return Pattern((Hole(" ".join(text(node).split())[:40]),))


def _formatted(template: Pattern, placeholder: re.Pattern[str], label: str) -> Pattern:
    """``template`` with each format placeholder (``%s``, ``{}``) of its literal parts made a hole."""
    found = Pattern(())
    for part in template.parts:
        if not isinstance(part, str):
            found = found + Pattern((part,))
            continue
        last = 0
        for match in placeholder.finditer(part):
            found = found + Pattern((part[last:match.start()],)) + Pattern((Hole(match.group(0).strip("{}") or label
                                                                                  or "value"),))
            last = match.end()
        found = found + Pattern((part[last:],))
    return Pattern(tuple(p for p in found.parts if p != ""))
