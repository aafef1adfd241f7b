"""Facts about Pusher use in one parsed file: clients, subscriptions, binds, teardowns, effects, state.

One tree-sitter query (run in C) finds the candidate nodes; Python only looks at those and at their
ancestors. Rules (:mod:`pusher_doctor.scan.rules`) work on these facts and never walk trees.

Where a fact sits matters ("context"): each enclosing function gets a :class:`Role` — React
component or hook body (runs on every render), effect callback, effect cleanup / unmount hook,
mount hook, Pusher event handler, class ``render()`` or other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum

from tree_sitter import Node, QueryCursor

from . import sources
from .contract import is_staff_path
from .values import ASSIGNMENT_QUERY, FUNCTION_TYPES, Pattern, Resolver, function_name, text, unwrap

_FACT_QUERY = """
(new_expression constructor: (_) @ctor) @new
(call_expression
  function: (member_expression object: (_) @recv property: (property_identifier) @method)
  arguments: (arguments) @args) @mcall
(call_expression function: (identifier) @fname arguments: (arguments) @args) @fcall
(variable_declarator name: (array_pattern) @names value: (call_expression function: (_) @callee)) @state
"""

PUSHER_METHODS = frozenset({"subscribe", "bind", "unbind", "unbind_all", "unsubscribe", "disconnect"})
TEARDOWN_METHODS = frozenset({"unbind", "unbind_all", "unsubscribe", "disconnect"})
EFFECT_HOOKS = frozenset({"useEffect", "useLayoutEffect", "useInsertionEffect"})
STATE_HOOKS = frozenset({"useState", "useReducer"})
#: calls whose function argument is only run once or lazily: code inside is not "render"
MEMO_HOOKS = frozenset({"useMemo", "useCallback", "useState", "useRef", "useReducer"})
VUE_MOUNT_CALLS = frozenset({"onMounted", "onBeforeMount"})
VUE_CLEANUP_CALLS = frozenset({"onBeforeUnmount", "onUnmounted", "onDeactivated"})
CLEANUP_METHODS = frozenset(
    {"componentWillUnmount", "beforeUnmount", "unmounted", "beforeDestroy", "destroyed", "deactivated"}
)
MOUNT_METHODS = frozenset({"componentDidMount", "mounted", "created", "beforeMount", "setup"})
#: receivers whose ``bind`` is about the connection or user, not a channel
_NON_CHANNEL_RECEIVERS = (".connection", ".user")


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
    node: Node
    name: str | None
    role: Role


@dataclass
class Client:
    """``new Pusher(key, options)``."""

    node: Node
    key: Node | None
    options: Node | None
    chain: tuple[Func, ...]


@dataclass
class Subscription:
    """``x.subscribe(name)``; ``via`` names the custom hook/helper when found at its call site."""

    node: Node
    arg: Node
    channel: Pattern
    chain: tuple[Func, ...]
    via: str | None = None


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
    chain: tuple[Func, ...]
    via: str | None = None


@dataclass
class Teardown:
    """``unsubscribe``/``unbind``/``unbind_all``/``disconnect``; ``context`` says where it runs:
    ``cleanup``, ``handler`` (inside a bound event handler), ``after-subscribe`` (same function,
    after subscribing to the same channel) or ``other``."""

    node: Node
    method: str
    args: tuple[Node, ...]
    context: str


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


@dataclass
class FileFacts:
    """Everything the rules need from one file."""

    src: sources.SourceFile
    resolver: Resolver
    staff: bool
    clients: list[Client] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    binds: list[Bind] = field(default_factory=list)
    teardowns: list[Teardown] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    components: dict[int, Component] = field(default_factory=dict)
    calls_by_name: dict[str, list[Node]] = field(default_factory=dict)


def extract(src: sources.SourceFile, env: Mapping[str, str]) -> FileFacts:
    """Collect the Pusher facts of one parsed file."""
    resolver = Resolver(src.tree.root_node, env, sources.query(src.language, ASSIGNMENT_QUERY))
    facts = FileFacts(src, resolver, is_staff_path(src.rel))
    _Extractor(facts).run()
    return facts


class _Extractor:
    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self.resolver = facts.resolver
        self.effect_fns: set[int] = set()
        self.cleanup_fns: set[int] = set()
        self.handler_fns: set[int] = set()
        self.roles: dict[int, Role] = {}

    # --- driver --------------------------------------------------------------------------------

    def run(self) -> None:
        news: list[Node] = []
        member_calls: list[tuple[Node, Node, str, Node]] = []
        states: list[tuple[Node, Node, Node]] = []
        cursor = QueryCursor(sources.query(self.facts.src.language, _FACT_QUERY))
        for _, match in cursor.matches(self.facts.src.tree.root_node):
            if "new" in match:
                news.append(match["new"][0])
            elif "mcall" in match:
                method = text(match["method"][0])
                if method in PUSHER_METHODS or method in EFFECT_HOOKS:
                    member_calls.append((match["mcall"][0], match["recv"][0], method, match["args"][0]))
            elif "fcall" in match:
                self._function_call(match["fcall"][0], text(match["fname"][0]), match["args"][0])
            elif "state" in match:
                states.append((match["state"][0], match["names"][0], match["callee"][0]))
        calls = [(n, r, m, a) for n, r, m, a in member_calls if m not in EFFECT_HOOKS]
        for node, _, method, args in member_calls:
            if method in EFFECT_HOOKS:
                self._effect(node, node.child_by_field_name("function") or node, args)
        for node in news:
            self._new(node)
        for node, recv, method, args in calls:
            if method == "subscribe":
                self._subscribe(node, recv, args)
        for node, recv, method, args in calls:
            if method == "bind":
                self._bind(node, recv, args)
        self.roles.clear()  # bound handlers are known now; roles cached before may be stale
        for node, recv, method, args in calls:
            if method in TEARDOWN_METHODS:
                self._teardown(node, recv, method, args)
        for declarator, names, callee in states:
            self._state(declarator, names, callee)
        self._finish_effects()
        self._finish_components()

    # --- per match -----------------------------------------------------------------------------

    def _function_call(self, node: Node, name: str, args: Node) -> None:
        self.facts.calls_by_name.setdefault(name, []).append(node)
        if name in EFFECT_HOOKS:
            self._effect(node, node.child_by_field_name("function") or node, args)
        elif name in VUE_CLEANUP_CALLS:
            first = _first_arg(args)
            if first is not None and first.type in FUNCTION_TYPES:
                self.cleanup_fns.add(first.id)

    def _effect(self, node: Node, callee: Node, args: Node) -> None:
        arguments = _arguments(args)
        if not arguments or unwrap(arguments[0]).type not in FUNCTION_TYPES:
            return
        fn = unwrap(arguments[0])
        deps = arguments[1] if len(arguments) > 1 else None
        self.effect_fns.add(fn.id)
        cleanups = tuple(self._cleanups(fn))
        self.cleanup_fns.update(cleanup.id for cleanup in cleanups)
        self.facts.effects.append(Effect(node, callee, fn, deps, None, cleanups))

    def _cleanups(self, effect_fn: Node) -> Iterator[Node]:
        """Functions an effect returns: ``return () => ...``, ``return cleanup``, ``() => () => ...``."""
        body = effect_fn.child_by_field_name("body")
        if body is None:
            return
        if body.type != "statement_block":
            returned = [body]
        else:
            returned = [stmt.named_children[0] for stmt in _own_returns(body) if stmt.named_child_count]
        for value in returned:
            value = unwrap(value)
            if value.type in FUNCTION_TYPES:
                yield value
            elif value.type == "identifier":
                yield from (v for v in self.resolver.values_of(value) if v.type in FUNCTION_TYPES)

    def _new(self, node: Node) -> None:
        ctor = node.child_by_field_name("constructor")
        if ctor is None or not self._is_pusher_constructor(ctor):
            return
        arguments = _arguments(node.child_by_field_name("arguments"))
        key = arguments[0] if arguments else None
        options = arguments[1] if len(arguments) > 1 else None
        self.facts.clients.append(Client(node, key, options, self.chain(node)))

    def _subscribe(self, node: Node, recv: Node, args: Node) -> None:
        arguments = _arguments(args)
        if len(arguments) != 1:
            return  # pusher-js takes just the name; Ably's channel.subscribe(event, listener) is not it
        arg = arguments[0]
        if unwrap(arg).type in FUNCTION_TYPES or unwrap(arg).type == "object":
            return  # store.subscribe(listener), observable.subscribe({next}) ...
        if any(value.type in FUNCTION_TYPES for value in self.resolver.values_of(arg)):
            return
        channel = self.resolver.pattern(arg)
        if not channel.text and not self._is_client(recv):
            return  # rxjs.subscribe(observer) and friends: nothing says this is Pusher
        self.facts.subscriptions.append(Subscription(node, arg, channel, self.chain(node)))

    def _bind(self, node: Node, recv: Node, args: Node) -> None:
        arguments = _arguments(args)
        if len(arguments) < 2 or text(recv).endswith(_NON_CHANNEL_RECEIVERS):
            return
        event_node = arguments[0]
        if unwrap(event_node).type in ("this", "null", "undefined", "object") + tuple(FUNCTION_TYPES):
            return  # Function.prototype.bind(this, ...)
        subscription, channel = self.channel_of(recv)
        if channel is None and not self._is_channelish(recv):
            return  # $(el).bind('click', ...) and other non-Pusher binds
        handler_node = self.handler_function(arguments[1])
        if handler_node is not None:
            self.handler_fns.add(handler_node.id)
        self.facts.binds.append(
            Bind(
                node,
                event_node,
                self.resolver.pattern(event_node),
                arguments[1],
                handler_node,
                subscription,
                channel,
                self.chain(node),
            )
        )

    def _teardown(self, node: Node, recv: Node, method: str, args: Node) -> None:
        arguments = tuple(_arguments(args))
        _, channel = self.channel_of(recv)
        if method == "disconnect" and not self._is_client(recv):
            return  # ResizeObserver.disconnect() ...
        if method == "unsubscribe" and not arguments and channel is None and not self._is_channelish(recv):
            return  # rxjs subscription.unsubscribe()
        if (
            method == "unsubscribe"
            and arguments
            and not self._is_client(recv)
            and not self.resolver.pattern(arguments[0]).text
        ):
            return
        if method in ("unbind", "unbind_all") and channel is None and not self._is_channelish(recv):
            return
        target = channel
        if method == "unsubscribe" and arguments:
            target = self.resolver.pattern(arguments[0])
        context = self._teardown_context(node, method, target)
        self.facts.teardowns.append(Teardown(node, method, arguments, context))

    def _state(self, declarator: Node, names: Node, callee: Node) -> None:
        if text(callee).rpartition(".")[2] not in STATE_HOOKS:
            return
        elements = [child for child in names.named_children if child.type == "identifier"]
        if len(elements) < 2:
            return
        fn = _innermost_function(declarator)
        if fn is None:
            return
        component = self.facts.components.setdefault(fn.id, Component(fn))
        component.setters[text(elements[0])] = text(elements[1])

    # --- linking -------------------------------------------------------------------------------

    def channel_of(self, recv: Node) -> tuple[Subscription | None, Pattern | None]:
        """The subscription (or ``pusher.channel(name)``) a receiver is, if it can be told."""
        recv = unwrap(recv)
        candidates = [recv] if recv.type == "call_expression" else self.resolver.values_of(recv)
        for value in candidates:
            if value.type != "call_expression":
                continue
            function = value.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                continue
            prop = function.child_by_field_name("property")
            if prop is not None and text(prop) == "subscribe":
                for subscription in self.facts.subscriptions:
                    if subscription.node.id == value.id:
                        return subscription, subscription.channel
            if prop is not None and text(prop) == "channel":  # pusher.channel(name): already subscribed
                arg = _first_arg(value.child_by_field_name("arguments"))
                if arg is not None:
                    return None, self.resolver.pattern(arg)
        return None, None

    def handler_function(self, handler: Node) -> Node | None:
        """The function a bind's handler argument stands for (inline, by name, useCallback, this.x)."""
        handler = unwrap(handler)
        for _ in range(3):
            if handler.type in FUNCTION_TYPES:
                return handler
            if handler.type == "call_expression":  # this.onMessage.bind(this), useCallback(fn, deps)
                function = handler.child_by_field_name("function")
                if (
                    function is not None
                    and function.type == "member_expression"
                    and text(function.child_by_field_name("property") or function) == "bind"
                ):
                    handler = unwrap(function.child_by_field_name("object") or function)
                    continue
                first = _first_arg(handler.child_by_field_name("arguments"))
                if first is None or function is None or text(function).rpartition(".")[2] != "useCallback":
                    return None
                handler = unwrap(first)
                continue
            if handler.type == "member_expression" and text(handler).startswith("this."):
                return _this_method(handler)
            values = self.resolver.values_of(handler)
            if not values:
                return None
            handler = unwrap(values[0])
        return handler if handler.type in FUNCTION_TYPES else None

    def _is_pusher_constructor(self, ctor: Node) -> bool:
        name = text(ctor)
        if name == "Pusher" or name.endswith(".Pusher"):
            return True
        if ctor.type != "identifier":
            return False
        binding = self.resolver.lookup(name, ctor)
        if binding is None:
            return False
        if binding.kind == "import":
            return (binding.source or "").startswith("pusher-js")
        return binding.node is not None and "require('pusher-js" in text(binding.node).replace('"', "'")

    def _is_client(self, recv: Node) -> bool:
        if "pusher" in text(recv).lower():
            return True
        return any(
            value.type == "new_expression" and self._is_new_pusher(value)
            for value in self.resolver.values_of(recv)
        )

    def _is_new_pusher(self, node: Node) -> bool:
        return any(client.node.id == node.id for client in self.facts.clients)

    def _is_channelish(self, recv: Node) -> bool:
        lowered = text(recv).lower()
        return "channel" in lowered or "pusher" in lowered

    # --- context -------------------------------------------------------------------------------

    def chain(self, node: Node) -> tuple[Func, ...]:
        """Enclosing functions, innermost first, with their roles."""
        return tuple(Func(fn, function_name(fn), self._role(fn)) for fn in _enclosing_functions(node))

    def _role(self, fn: Node) -> Role:
        role = self.roles.get(fn.id)
        if role is None:
            role = self._compute_role(fn)
            self.roles[fn.id] = role
        return role

    def _compute_role(self, fn: Node) -> Role:
        if fn.id in self.cleanup_fns:
            return Role.CLEANUP
        if fn.id in self.effect_fns:
            return Role.EFFECT
        if fn.id in self.handler_fns:
            return Role.HANDLER
        caller = _called_with(fn)
        if caller in VUE_MOUNT_CALLS:
            return Role.MOUNT
        if caller in MEMO_HOOKS:
            return Role.OTHER
        name = function_name(fn) or ""
        in_class = fn.type == "method_definition" and fn.parent is not None and fn.parent.type == "class_body"
        if fn.type == "method_definition" or (fn.parent is not None and fn.parent.type == "pair"):
            if name in CLEANUP_METHODS:
                return Role.CLEANUP
            if name in MOUNT_METHODS:
                return Role.MOUNT
            if name == "render" and in_class:
                return Role.RENDER
            return Role.OTHER
        if self.facts.src.is_vue:
            return Role.OTHER  # setup code runs once per component instance
        if name[:1].isupper():
            return Role.COMPONENT
        if name.startswith("use") and name[3:4].isupper():
            return Role.HOOK
        return Role.OTHER

    def _teardown_context(self, node: Node, method: str, target: Pattern | None) -> str:
        chain = self.chain(node)
        for func in chain:
            if func.role is Role.CLEANUP:
                return "cleanup"
            if func.role is Role.HANDLER:
                return "handler"
        innermost = chain[0].node.id if chain else None
        for earlier in [*self.facts.subscriptions, *self.facts.binds]:
            if earlier.node.start_byte >= node.start_byte:
                continue
            earlier_fn = earlier.chain[0].node.id if earlier.chain else None
            if earlier_fn != innermost:
                continue
            channel = earlier.channel
            if method == "disconnect" or target is None or channel is None:
                return "after-subscribe"
            if target.display() == channel.display():
                return "after-subscribe"
        return "other"

    # --- wrap-up -------------------------------------------------------------------------------

    def _finish_effects(self) -> None:
        # handlers and cleanups are known now: refresh chains computed before all roles were known
        self.roles.clear()
        for item in (*self.facts.subscriptions, *self.facts.binds):
            item.chain = self.chain(item.node)
        for client in self.facts.clients:
            client.chain = self.chain(client.node)
        for effect in self.facts.effects:
            effect.component = next(iter(self.chain(effect.node)), None)
            start, end = effect.fn.start_byte, effect.fn.end_byte
            inside_cleanup = [(c.start_byte, c.end_byte) for c in effect.cleanups]

            def in_effect_body(
                node: Node, start: int = start, end: int = end, cleanups=inside_cleanup
            ) -> bool:
                position = node.start_byte
                return start <= position < end and not any(s <= position < e for s, e in cleanups)

            effect.subscriptions = [s for s in self.facts.subscriptions if in_effect_body(s.node)]
            effect.binds = [b for b in self.facts.binds if in_effect_body(b.node)]
            effect.subscribes = bool(effect.subscriptions or effect.binds)
            effect.tears_down = any(
                t.context == "cleanup" and any(s <= t.node.start_byte < e for s, e in inside_cleanup)
                for t in self.facts.teardowns
            )

    def _finish_components(self) -> None:
        setters = {
            setter for component in self.facts.components.values() for setter in component.setters.values()
        }
        for name in setters:
            for call in self.facts.calls_by_name.get(name, []):
                fn_nodes = _enclosing_functions(call)
                for fn in fn_nodes:
                    component = self.facts.components.get(fn.id)
                    if component is not None and name in component.setters.values():
                        component.setter_calls.append((name, call))
                        break


# --- tree helpers --------------------------------------------------------------------------------


def _enclosing_functions(node: Node) -> list[Node]:
    found = []
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            found.append(parent)
        parent = parent.parent
    return found


def _innermost_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        parent = parent.parent
    return parent


def enclosing_functions(node: Node) -> list[Node]:
    """Functions around ``node``, innermost first."""
    return _enclosing_functions(node)


def _called_with(fn: Node) -> str | None:
    """Name of the function ``fn`` is passed to as an argument (``useMemo``, ``onMounted``...)."""
    parent = fn.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return None
    callee = parent.parent.child_by_field_name("function")
    return text(callee).rpartition(".")[2] if callee is not None else None


#: statement containers a ``return`` can sit in; expressions are not entered (a return there would
#: belong to a nested function), which keeps this walk small
_STATEMENT_CONTAINERS = frozenset(
    {
        "statement_block",
        "if_statement",
        "else_clause",
        "try_statement",
        "catch_clause",
        "finally_clause",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
        "switch_body",
        "switch_case",
        "switch_default",
        "labeled_statement",
    }
)


def _own_returns(body: Node) -> Iterator[Node]:
    """Return statements of a function body, not of functions nested in it."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            yield node
        elif node.type in _STATEMENT_CONTAINERS:
            stack.extend(node.named_children)


def _arguments(args: Node | None) -> list[Node]:
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]


def _first_arg(args: Node | None) -> Node | None:
    arguments = _arguments(args)
    return arguments[0] if arguments else None


def _this_method(member: Node) -> Node | None:
    """``this.onMessage`` -> the class method (or Vue ``methods:`` entry) named ``onMessage``."""
    prop = member.child_by_field_name("property")
    if prop is None:
        return None
    name = text(prop)
    parent = member.parent
    while parent is not None:
        if parent.type in ("class_body", "object"):
            found = _method_named(parent, name)
            if found is not None:
                return found
        parent = parent.parent
    return None


def _method_named(container: Node, name: str) -> Node | None:
    for child in container.named_children:
        if child.type == "method_definition" and text(child.child_by_field_name("name") or child) == name:
            return child
        if child.type in ("pair", "field_definition", "public_field_definition"):
            key = child.child_by_field_name("key") or child.child_by_field_name("property")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                if text(key) == name and unwrap(value).type in FUNCTION_TYPES:
                    return unwrap(value)
                if text(key) == "methods" and unwrap(value).type == "object":
                    found = _method_named(unwrap(value), name)
                    if found is not None:
                        return found
    return None
