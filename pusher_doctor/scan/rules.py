"""The scan rules: an explicit, ordered registry. Each rule has an id, the checklist item it guards,
its documentation (what, why, fix, wrong and right example) and a check over the whole project.

``docs/scan-rules.md`` is generated from :data:`RULES` (``python -m pusher_doctor.scan.docs``), so
the registry is the single source of what each rule means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from . import contract
from .envfile import EnvSetting
from .facts import Bind, Effect, FileFacts, Role, Teardown
from .project import Project, argument_for, param_holes
from .sources import Location, relative_name
from .tree import FUNCTION_TYPES, object_keys, object_property, text, unwrap
from .values import Pattern

#: dependency names that look like the message list (plural: not a handler such as ``onMessage``)
_MESSAGE_WORDS = ("messages", "msgs")
_NEW_IDENTITY_TYPES = frozenset({"object", "array", "new_expression"}) | FUNCTION_TYPES


@dataclass(frozen=True)
class Hit:
    """What a check reports; the engine adds the rule id and checklist item."""

    location: Location
    message: str
    hint: str


Check = Callable[[Project], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    checklist_item: str
    title: str
    finds: str
    why: str
    fix: str
    wrong: str
    right: str
    check: Check


def _at(facts: FileFacts, node: Node, message: str, hint: str) -> Hit:
    return Hit(facts.src.location(node), message, hint)


def _via(fact_via: str | None) -> str:
    return f" (through {fact_via}(...))" if fact_via else ""


# --- no-guest-subscribe ---------------------------------------------------------------------------


def check_no_guest_subscribe(project: Project) -> Iterator[Hit]:
    clients = [(facts, client) for facts in project.files for client in facts.clients]
    if not clients:
        return
    channels = []
    for _, subscription in project.subscriptions():
        if contract.classify_channel(subscription.channel).could_be_room:
            return
        channels.append(subscription.channel.display())
    guest_side = [(facts, client) for facts, client in clients if not facts.staff] or clients
    seen = f" (it only subscribes to {', '.join(repr(c) for c in sorted(set(channels)))})" if channels else ""
    for facts, client in guest_side:
        yield _at(
            facts,
            client.node,
            f"a Pusher client is created here but no scanned code subscribes to the guest's room channel "
            f"{contract.ROOM_SHAPE}{seen}",
            "in the guest chat view, subscribe to `${hotelSlug}-room-${roomNumber}-chat` and bind "
            "'new-staff-message'",
        )


# --- wrong-channel --------------------------------------------------------------------------------


def check_wrong_channel(project: Project) -> Iterator[Hit]:
    for facts, subscription in project.subscriptions():
        verdict = contract.classify_channel(subscription.channel)
        name = subscription.channel.display()
        where = _via(subscription.via)
        guest_conversation = not facts.staff and contract.CONVERSATION in (verdict.kind, verdict.near)
        if guest_conversation:
            yield _at(
                facts,
                subscription.arg,
                f"guest view subscribes to the conversation channel '{name}'{where}; the backend sends staff "
                f"messages for the guest on {contract.ROOM_SHAPE}",
                "subscribe to `${hotelSlug}-room-${roomNumber}-chat` in guest views; the conversation "
                "channel is for staff views",
            )
        elif verdict.problems:
            shape = contract.SHAPES[verdict.near or contract.ROOM]
            yield _at(
                facts,
                subscription.arg,
                f"channel '{name}'{where} can never equal the backend's {shape}: {'; '.join(verdict.problems)}",
                f"build the name exactly as the backend does: {_template_for(verdict.near or contract.ROOM)}",
            )


def _template_for(kind: str) -> str:
    if kind == contract.CONVERSATION:
        return "`${hotelSlug}-conversation-${conversationId}-chat`"
    return "`${hotelSlug}-room-${roomNumber}-chat`"


# --- wrong-event ----------------------------------------------------------------------------------


def check_wrong_event(project: Project) -> Iterator[Hit]:
    for facts, bind in project.binds():
        event = bind.event.literal
        if event is None:
            continue
        kind = _channel_kind(bind.channel)
        if kind is None or (kind == contract.UNKNOWN and not contract.looks_like_chat_event(event)):
            continue  # on a channel we cannot name, other features' events ('typing') are not ours to judge
        verdict = contract.check_event(event, kind)
        if verdict is None:
            continue
        channel = f" on '{bind.channel.display()}'" if bind.channel is not None else ""
        yield _at(
            facts,
            bind.event_node,
            f"binds '{event}'{channel}{_via(bind.via)}: {verdict.problem}",
            f"bind '{contract.closest(event, verdict.expected)}'",
        )


def _channel_kind(channel: Pattern | None) -> str | None:
    """The backend channel a bind listens on; None for channels the chat backend has nothing to do with."""
    if channel is None:
        return contract.UNKNOWN
    verdict = contract.classify_channel(channel)
    if verdict.kind == contract.OTHER:
        return verdict.near
    return verdict.kind


# --- early-unsubscribe ----------------------------------------------------------------------------


def check_early_unsubscribe(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for teardown in facts.teardowns:
            hit = _early_teardown(facts, teardown)
            if hit is not None:
                yield hit
        for effect in facts.effects:
            yield from _effect_lifecycle(facts, effect)
    yield from _hook_argument_deps(project)


def _early_teardown(facts: FileFacts, teardown: Teardown) -> Hit | None:
    call = text(teardown.node.child_by_field_name("function") or teardown.node)
    if teardown.context == "handler":
        return _at(
            facts,
            teardown.node,
            f"{call}(...) runs inside the Pusher event handler, so the page stops listening after the first "
            "message",
            "tear the subscription down only when the chat view goes away (effect cleanup / unmount hook)",
        )
    if teardown.context == "after-subscribe":
        return _at(
            facts,
            teardown.node,
            f"{call}(...) runs right after subscribing, in the same function, so the subscription is gone "
            "before any message arrives",
            "move it into the effect's cleanup (return () => ...) or the unmount hook",
        )
    return None


def _effect_lifecycle(facts: FileFacts, effect: Effect) -> Iterator[Hit]:
    if not effect.subscribes or effect.component is None or not effect.component.role.runs_every_render:
        return
    hook = text(effect.callee)
    if effect.deps is None:
        consequence = (
            "and its cleanup unsubscribes each time"
            if effect.tears_down
            else "and binds the handler again each time"
        )
        yield _at(
            facts,
            effect.callee,
            f"{hook} subscribes without a dependency array: it runs after every render {consequence}",
            "pass the values the channel name is built from, e.g. [hotelSlug, roomNumber]",
        )
        return
    if not effect.tears_down or unwrap(effect.deps).type != "array":
        return
    allowed = _channel_inputs(effect)
    component = facts.components.get(effect.component.node.id)
    handlers = [bind.handler_fn for bind in facts.binds if bind.handler_fn is not None]
    for dep in unwrap(effect.deps).named_children:
        name = text(dep)
        if name in allowed or dep.type not in ("identifier", "member_expression"):
            continue
        reason = _changing_dependency(facts, effect, dep, component, handlers)
        if reason:
            yield _at(
                facts,
                dep,
                f"{hook} depends on '{name}', which {reason}; each change runs the cleanup that unsubscribes, "
                "so messages sent meanwhile are lost",
                "depend only on what the channel name is built from (e.g. [hotelSlug, roomNumber]) and update "
                "state with the functional form",
            )


def _channel_inputs(effect: Effect) -> set[str]:
    """Names that legitimately re-run a subscribing effect: the channel name's parts and the client."""
    names: set[str] = set()
    for subscription in effect.subscriptions:
        names.update(hole.label for hole in subscription.channel.holes)
        names.add(text(subscription.arg))
        receiver = subscription.node.child_by_field_name("function")
        obj = receiver.child_by_field_name("object") if receiver is not None else None
        if obj is not None:
            names.add(text(obj))
    for bind in effect.binds:
        names.update(hole.label for hole in bind.event.holes)
        if bind.channel is not None:
            names.update(hole.label for hole in bind.channel.holes)
    return names


def _changing_dependency(facts: FileFacts, effect: Effect, dep: Node, component, handlers: list[Node]) -> str:
    """Why a dependency changes while the chat is shown, or '' when it need not."""
    name = text(dep)
    if component is not None and name in component.setters:
        setter = component.setters[name]
        for setter_name, call in component.setter_calls:
            if setter_name != setter:
                continue
            if any(_inside(call, handler) for handler in handlers):
                return f"the message handler changes (via {setter})"
            if not _inside(call, effect.fn) and _in_nested_function(call, component.fn):
                return f"changes while the chat is shown (via {setter})"
    if dep.type == "identifier":
        binding = facts.resolver.lookup(name, dep)
        if (
            binding is not None
            and binding.kind == "value"
            and binding.node is not None
            and unwrap(binding.node).type in _NEW_IDENTITY_TYPES
            and effect.component is not None
            and _declared_directly_in(binding.node, effect.component.node)
        ):
            return "is created anew on every render"
    if any(word in name.lower() for word in _MESSAGE_WORDS):
        return "looks like the message list and changes with every message"
    return ""


def _hook_argument_deps(project: Project) -> Iterator[Hit]:
    """A hook whose subscribing effect depends on its parameter, called with a new value each render."""
    for facts in project.files:
        for effect in facts.effects:
            if not (effect.subscribes and effect.tears_down and effect.deps is not None):
                continue
            deps = unwrap(effect.deps)
            if deps.type != "array" or effect.component is None or effect.component.role is not Role.HOOK:
                continue
            for dep in deps.named_children:
                if dep.type != "identifier":
                    continue
                holes = param_holes(facts.resolver.pattern(dep))
                if not holes or holes[0].param is None or holes[0].param.function != effect.component.name:
                    continue
                param = holes[0].param
                for site in project.call_sites(param.function):
                    argument = argument_for(param, site)
                    if argument is not None and unwrap(argument).type in _NEW_IDENTITY_TYPES:
                        yield _at(
                            site.facts,
                            argument,
                            f"{param.function}(...) re-subscribes whenever '{text(dep)}' changes, and this "
                            "argument is a new value on every render, so every render unsubscribes",
                            "wrap the argument in useCallback/useMemo, or keep it in a ref inside the hook",
                        )


# --- stale-state ----------------------------------------------------------------------------------


def check_stale_state(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for effect in facts.effects:
            if effect.deps is None or unwrap(effect.deps).type != "array" or effect.component is None:
                continue
            component = facts.components.get(effect.component.node.id)
            if component is None:
                continue
            deps = {text(dep) for dep in unwrap(effect.deps).named_children}
            for bind in effect.binds:
                yield from _stale_updates(facts, bind, component, deps, text(effect.deps))


def _stale_updates(facts: FileFacts, bind: Bind, component, deps: set[str], deps_text: str) -> Iterator[Hit]:
    if bind.handler_fn is None:
        return
    state_of = {setter: state for state, setter in component.setters.items()}
    for setter, call in component.setter_calls:
        state = state_of[setter]
        if state in deps or not _inside(call, bind.handler_fn):
            continue
        args = call.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_child_count else None
        if first is None or unwrap(first).type in FUNCTION_TYPES or not _mentions(first, state):
            continue
        event = bind.event.literal or bind.event.display()
        yield _at(
            facts,
            call,
            f"the '{event}' handler calls {setter}({' '.join(text(first).split())}) with the '{state}' "
            f"captured when the effect ran (deps {deps_text}), so each message replaces the ones before it",
            f"use the functional form: {setter}(prev => [...prev, data])",
        )


# --- client-in-render -----------------------------------------------------------------------------


def check_client_in_render(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for client in facts.clients:
            if not client.chain or not client.chain[0].role.runs_every_render:
                continue
            if _lazily_initialised(client.node, client.chain[0].node):
                continue
            owner = _owner(client.chain[0].node, client.chain[0].role, client.chain[0].name)
            wrapper = _wrapping_hook(client.node, client.chain[0].node)
            detail = f" (the argument of {wrapper} is evaluated on every render too)" if wrapper else ""
            yield _at(
                facts,
                client.node,
                f"new Pusher(...) runs in the body of {owner}: every render opens another connection{detail}",
                "create the client once: at module level, in useMemo(() => new Pusher(...), []), "
                "or in a context provider",
            )
        for subscription in facts.subscriptions:
            chain = subscription.chain
            if chain and chain[0].role.runs_every_render:
                owner = _owner(chain[0].node, chain[0].role, chain[0].name)
                yield _at(
                    facts,
                    subscription.node,
                    f"subscribes in the body of {owner}, so it runs (and binds again) on every render",
                    "subscribe in useEffect (function components) or componentDidMount (class components)",
                )


def _owner(fn: Node, role: Role, name: str | None) -> str:
    if role is Role.RENDER:
        return "render()"
    kind = "hook" if role is Role.HOOK else "component"
    return f"{kind} {name}" if name else kind


def _lazily_initialised(node: Node, fn: Node) -> bool:
    """``if (!ref.current) ref.current = new Pusher(...)`` or ``ref.current ??= new Pusher(...)``."""
    guarded = False
    assigned_to_ref = False
    parent = node.parent
    while parent is not None and parent.id != fn.id:
        if parent.type == "if_statement":
            guarded = True
        elif parent.type in ("assignment_expression", "augmented_assignment_expression"):
            left = parent.child_by_field_name("left")
            assigned_to_ref = left is not None and text(left).endswith(".current")
            guarded = guarded or parent.type == "augmented_assignment_expression"
        parent = parent.parent
    return guarded and assigned_to_ref


def _wrapping_hook(node: Node, fn: Node) -> str | None:
    parent = node.parent
    while parent is not None and parent.id != fn.id:
        if parent.type == "call_expression":
            callee = parent.child_by_field_name("function")
            name = text(callee).rpartition(".")[2] if callee is not None else ""
            if name in ("useRef", "useState"):
                return name
        parent = parent.parent
    return None


# --- unbind-all -----------------------------------------------------------------------------------


def check_unbind_all(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for teardown in facts.teardowns:
            if teardown.context not in ("cleanup", "other"):
                continue  # early-unsubscribe reports those
            if teardown.method == "unbind_all" or (teardown.method == "unbind" and not teardown.args):
                call = text(teardown.node.child_by_field_name("function") or teardown.node)
                yield _at(
                    facts,
                    teardown.node,
                    f"{call}() removes every handler on the channel, including those of other components "
                    "listening on it",
                    "unbind only your own handler: channel.unbind('new-staff-message', onMessage)",
                )


# --- key-mismatch / cluster-mismatch --------------------------------------------------------------


def check_key_mismatch(project: Project) -> Iterator[Hit]:
    backend = project.backend.key if project.backend else None
    yield from _credential_mismatch(project, "key", backend, project.env.key, _client_key)


def check_cluster_mismatch(project: Project) -> Iterator[Hit]:
    backend = project.backend.cluster if project.backend else None
    yield from _credential_mismatch(project, "cluster", backend, project.env.cluster, _client_cluster)


def _client_key(facts: FileFacts, client) -> tuple[Node, Pattern] | None:
    return (client.key, facts.resolver.pattern(client.key)) if client.key is not None else None


def _client_cluster(facts: FileFacts, client) -> tuple[Node, Pattern] | None:
    options = _options_object(facts, client.options)
    value = object_property(options, "cluster") if options is not None else None
    return (value, facts.resolver.pattern(value)) if value is not None else None


def _credential_mismatch(
    project: Project, what: str, backend: str | None, env: EnvSetting | None, read
) -> Iterator[Hit]:
    if not backend:
        return
    backend = backend.strip()
    hint = f"set the frontend's Pusher {what} to the backend's ('{backend}')" + (
        "; the key is public, never put the secret in the frontend" if what == "key" else ""
    )
    compared = False
    for facts in project.files:
        for client in facts.clients:
            found = read(facts, client)
            value = found[1].literal if found else None
            if value is None:
                continue
            compared = True
            if value.strip() != backend:
                origin = _origin(project, found[1])
                yield _at(
                    facts,
                    found[0],
                    f"frontend Pusher {what} '{value}' ({origin}) differs from the backend's '{backend}'",
                    hint,
                )
    if not compared and env is not None and env.value != backend:
        file = relative_name(env.path, project.root)
        yield Hit(
            Location(file, env.line, 1, env.code),
            f"frontend Pusher {what} '{env.value}' ({env.variable} in {file}) differs from the backend's "
            f"'{backend}'",
            hint,
        )


def _origin(project: Project, value: Pattern) -> str:
    if not value.env:
        return "literal in the code"
    named = []
    for variable in value.env:
        path = project.env.origins.get(variable)
        named.append(f"{variable} in {relative_name(path, project.root)}" if path else variable)
    return "from " + ", ".join(named)


# --- missing-cluster ------------------------------------------------------------------------------


def check_missing_cluster(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for client in facts.clients:
            if client.options is None:
                yield _at(
                    facts,
                    client.node,
                    "new Pusher(...) has no options: pusher-js needs { cluster } to know where to connect",
                    "pass the backend's cluster: new Pusher(key, { cluster: 'eu' })",
                )
                continue
            options = _options_object(facts, client.options)
            if options is None:
                continue
            keys, spread = object_keys(options)
            if not spread and "cluster" not in keys and "wsHost" not in keys:
                yield _at(
                    facts,
                    client.options,
                    "new Pusher(...) options have no 'cluster' (and no 'wsHost'): pusher-js cannot tell which "
                    "cluster to connect to",
                    "add the backend's cluster: { cluster: 'eu' }",
                )


def _options_object(facts: FileFacts, options: Node | None) -> Node | None:
    if options is None:
        return None
    options = unwrap(options)
    if options.type == "identifier":
        values = facts.resolver.values_of(options)
        options = unwrap(values[0]) if values else options
    return options if options.type == "object" else None


# --- helpers --------------------------------------------------------------------------------------


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _in_nested_function(node: Node, component_fn: Node) -> bool:
    """True when ``node`` sits in a function nested in the component (an event handler, a callback)."""
    parent = node.parent
    while parent is not None and parent.id != component_fn.id:
        if parent.type in FUNCTION_TYPES:
            return True
        parent = parent.parent
    return False


def _declared_directly_in(value: Node, component_fn: Node) -> bool:
    parent = value.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        parent = parent.parent
    return parent is not None and parent.id == component_fn.id


def _mentions(node: Node, name: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and text(current) == name:
            return True
        stack.extend(current.named_children)
    return False


# --- the registry ---------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        id="no-guest-subscribe",
        checklist_item="subscribed",
        title="A Pusher client exists but nothing subscribes to the guest's room channel",
        finds="Code that creates a Pusher client (`new Pusher(...)`) while no scanned code subscribes to a "
        "channel that can be `{hotel_slug}-room-{room_number}-chat`. Reported at each `new Pusher` site "
        "outside staff views. Subscriptions whose name cannot be resolved count as possibly the room channel.",
        why="The backend sends staff messages only to the room channel; a page that never subscribes to it "
        "only sees them when it reloads the history.",
        fix="Subscribe to the room channel in the guest chat view and bind `new-staff-message`.",
        wrong="const pusher = new Pusher(KEY, { cluster: 'eu' });\n// ...the guest page never calls pusher.subscribe(...)",
        right="const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);\n"
        "channel.bind('new-staff-message', onMessage);",
        check=check_no_guest_subscribe,
    ),
    Rule(
        id="wrong-channel",
        checklist_item="channel-name",
        title="Channel name can never equal the backend's",
        finds="A subscription whose resolved name cannot equal the backend's channel: `-rooms-` for `-room-`, "
        "`_room_` separators, a missing `-chat` suffix, a `private-`/`presence-` prefix the backend does not "
        "use, different letter case, or hotel slug and room number swapped; and a guest view (any file whose "
        "path does not mark it as staff-side) subscribing to the conversation channel.",
        why="Pusher delivers an event only to subscribers of exactly the channel it was triggered on; a name "
        "that differs by one character subscribes successfully and then receives nothing.",
        fix="Build the name exactly like the backend: `${hotelSlug}-room-${roomNumber}-chat`.",
        wrong="pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);",
        right="pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);",
        check=check_wrong_channel,
    ),
    Rule(
        id="wrong-event",
        checklist_item="event-name",
        title="Bound event is never sent by the backend on that channel",
        finds="`channel.bind(event, ...)` where the backend never sends `event` on that channel: anything but "
        "`new-staff-message` on the room channel (notably `new-message`, which goes to the conversation "
        "channel), anything but `new-message`/`message-delivered` on the conversation channel, and on a "
        "channel that cannot be resolved a chat-looking name (containing `message`, `msg`, `chat` or "
        "`staff`) that none of the three is. `pusher:*` and `client-*` events are never reported, nor "
        "events on channels that are neither room nor conversation channels.",
        why="The handler never runs, so the message only shows up after a refresh.",
        fix="Bind the event the backend sends on that channel: `new-staff-message` on the room channel.",
        wrong="channel.bind('new-message', onMessage);  // channel is {hotel}-room-{room}-chat",
        right="channel.bind('new-staff-message', onMessage);",
        check=check_wrong_event,
    ),
    Rule(
        id="early-unsubscribe",
        checklist_item="lifecycle",
        title="The subscription is torn down while the chat is still shown",
        finds="(1) `unsubscribe`/`unbind`/`unbind_all`/`disconnect` called inside a bound Pusher event handler, "
        "or in the same function right after subscribing to (or binding on) the same channel (any "
        "`disconnect`). (2) A React effect that subscribes with no dependency array at all. (3) A React "
        "effect that subscribes, whose cleanup tears the subscription down, and whose dependency array "
        "holds a value that changes while the chat is shown: state whose setter runs in the message "
        "handler or in another handler of the component, a function/object/array created in the component "
        "body on every render, or a name that looks like the message list (`messages`). Dependencies the "
        "channel name is built from (`hotelSlug`, `roomNumber`, `channelName`) and the client are correct "
        "and never reported; neither is an effect with `[]`. (4) A custom hook whose subscribing effect "
        "depends on a parameter, called with an inline function/object for it. Teardown in an effect "
        "cleanup, `componentWillUnmount`, Vue `beforeUnmount`/`unmounted`/`onBeforeUnmount`/`onUnmounted` "
        "is correct.",
        why="While unsubscribed (even briefly, between cleanup and the next subscribe) events are not "
        "delivered and Pusher does not replay them.",
        fix="Subscribe in an effect whose dependencies are only what the channel name is built from; tear down "
        "in its cleanup; update state with the functional form so the message list need not be a dependency.",
        wrong="useEffect(() => {\n  const channel = pusher.subscribe(name);\n"
        "  channel.bind('new-staff-message', (m) => setMessages([...messages, m]));\n"
        "  return () => pusher.unsubscribe(name);\n}, [messages]);",
        right="useEffect(() => {\n  const channel = pusher.subscribe(name);\n"
        "  const onMessage = (m) => setMessages((prev) => [...prev, m]);\n"
        "  channel.bind('new-staff-message', onMessage);\n"
        "  return () => { channel.unbind('new-staff-message', onMessage); pusher.unsubscribe(name); };\n"
        "}, [name]);",
        check=check_early_unsubscribe,
    ),
    Rule(
        id="stale-state",
        checklist_item="state-update",
        title="Handler updates state from a value captured once",
        finds="A handler bound inside a React effect whose dependencies do not include the state it reads, "
        "calling the state setter with an expression that uses that state "
        "(`setMessages([...messages, data])`, `setMessages(messages.concat(data))`) instead of the "
        "functional form. Handlers that only call other functions are not followed.",
        why="The handler keeps the state of the render it was created in (usually the empty list): each new "
        "message replaces the previous ones, and after a refresh the full history appears.",
        fix="Use the functional update: `setMessages(prev => [...prev, data])`.",
        wrong="useEffect(() => {\n  channel.bind('new-staff-message', (m) => setMessages([...messages, m]));\n}, []);",
        right="useEffect(() => {\n  channel.bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));\n}, []);",
        check=check_stale_state,
    ),
    Rule(
        id="client-in-render",
        checklist_item="lifecycle",
        title="Pusher client created (or channel subscribed) on every render",
        finds="`new Pusher(...)` directly in the body of a function component (name starting with an "
        "uppercase letter), a custom hook (`useX`) or a class component's `render()` — including as the "
        "argument of `useRef(...)`/`useState(...)`, which is evaluated on every render. Also `subscribe(...)` "
        "directly in such a body. Not reported: inside `useEffect`/`useMemo`/`useCallback` callbacks, lazy "
        "`useState(() => new Pusher(...))`, the guarded `if (!ref.current) ref.current = new Pusher(...)`, "
        "module level, and Vue `setup`.",
        why="Each render opens a new WebSocket connection; subscriptions and bound handlers stay on the old "
        "client, and events arrive (if at all) on a connection no handler listens to.",
        fix="Create the client once (module level, a context provider, or `useMemo(() => new Pusher(...), [])`) "
        "and subscribe in `useEffect`/`componentDidMount`.",
        wrong="function GuestChat() {\n  const pusher = new Pusher(KEY, { cluster: 'eu' });\n  ...\n}",
        right="const pusher = new Pusher(KEY, { cluster: 'eu' });\nfunction GuestChat() { ... }",
        check=check_client_in_render,
    ),
    Rule(
        id="unbind-all",
        checklist_item="lifecycle",
        title="All handlers on the channel are removed",
        finds="`channel.unbind()` with no arguments or `channel.unbind_all()` (in a cleanup or elsewhere; "
        "inside an event handler or right after subscribing it is reported as early-unsubscribe instead).",
        why="pusher-js returns the same channel object to every component subscribing to a name: unbinding "
        "everything also silences the chat window when, say, an unread badge unmounts.",
        fix="Unbind only your own handler: `channel.unbind('new-staff-message', onMessage)`.",
        wrong="return () => channel.unbind_all();",
        right="return () => channel.unbind('new-staff-message', onMessage);",
        check=check_unbind_all,
    ),
    Rule(
        id="key-mismatch",
        checklist_item="credentials",
        title="Frontend Pusher key differs from the backend's",
        finds="The key passed to `new Pusher(...)` — a literal, a `const`, or `process.env.X` / "
        "`import.meta.env.X` resolved through the env file — differs from the backend's key. When no "
        "`new Pusher` key can be resolved, the env file's `*_PUSHER_KEY` / `*_PUSHER_APP_KEY` is compared "
        "instead. Only when both sides are known.",
        why="A different key is a different Pusher app: the guest subscribes happily and the backend's events "
        "go elsewhere.",
        fix="Use the backend's key (the public one, never the secret) in the frontend env file.",
        wrong="VITE_PUSHER_KEY=old-app-key   # backend uses 3f2a...",
        right="VITE_PUSHER_KEY=3f2a...",
        check=check_key_mismatch,
    ),
    Rule(
        id="cluster-mismatch",
        checklist_item="credentials",
        title="Frontend Pusher cluster differs from the backend's",
        finds="The `cluster` option of `new Pusher(...)` (or, when none resolves, the env file's "
        "`*_PUSHER_CLUSTER` / `*_PUSHER_APP_CLUSTER`) differs from the backend's cluster. Only when both "
        "sides are known.",
        why="Clusters are separate deployments: the client connects to one, the backend triggers on another.",
        fix="Use the backend's cluster.",
        wrong="new Pusher(key, { cluster: 'us2' });  // backend: eu",
        right="new Pusher(key, { cluster: 'eu' });",
        check=check_cluster_mismatch,
    ),
    Rule(
        id="missing-cluster",
        checklist_item="credentials",
        title="Pusher client without a cluster",
        finds="`new Pusher(key)` with no options, or with an options object (literal or `const`) that has "
        "neither `cluster` nor `wsHost` and no spread.",
        why="pusher-js 8 throws 'Options object must provide a cluster'; older versions silently connect to "
        "the default cluster (mt1), which is not where the backend triggers.",
        fix="Pass the backend's cluster.",
        wrong="new Pusher(import.meta.env.VITE_PUSHER_KEY);",
        right="new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: import.meta.env.VITE_PUSHER_CLUSTER });",
        check=check_missing_cluster,
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
