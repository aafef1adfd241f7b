"""``extract``: one query over a file's tree, then each concern's module reads its matches, in order.

The order matters: binds need the subscriptions (to link a channel to its name), teardowns need both
(to tell "right after subscribing"), and roles are only final once every effect, cleanup and bound
handler is known, so the context chains computed on the way are refreshed at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from sys import intern
from typing import Any

from tree_sitter import Node, QueryCursor

from pusher_doctor.deadline import NEVER, Deadline
from pusher_doctor.scan import sources
from pusher_doctor.scan.contract import is_staff_path
from pusher_doctor.scan.facts.channels import (
    ECHO_CHANNEL_METHODS,
    ECHO_LISTEN_METHODS,
    add_bind,
    add_echo_bind,
    add_subscription,
    add_trigger,
)
from pusher_doctor.scan.facts.clients import add_client, is_echo, ownership
from pusher_doctor.scan.facts.effects import (
    EFFECT_HOOKS,
    VUE_CLEANUP_CALLS,
    add_effect,
    add_vue_cleanup,
    link_effects,
)
from pusher_doctor.scan.facts.hooks import HOOK_NAMES, PUSHER_EVENT_HOOK, add_hook_call
from pusher_doctor.scan.facts.records import FileFacts, Import, OwnedCall, Shell, SlimFacts
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.facts.state import add_state, link_setter_calls
from pusher_doctor.scan.facts.teardowns import TEARDOWN_METHODS, add_teardowns
from pusher_doctor.scan.shell import JSX_QUERY, file_shell, imported_names
from pusher_doctor.scan.tree import text
from pusher_doctor.scan.values import ASSIGNMENT_QUERY, Resolver, env_variable

#: run in C; Python only looks at the matches and at their ancestors
_FACT_QUERY = """
(new_expression constructor: (_) @ctor) @new
(call_expression
  function: (member_expression object: (_) @recv property: (property_identifier) @method)
  arguments: (arguments) @args) @mcall
(call_expression function: (identifier) @fname arguments: (arguments) @args) @fcall
(variable_declarator name: (array_pattern) @names value: (call_expression) @call) @state
(import_statement source: (string) @source) @import
"""
#: what a file without Pusher code is read for (see :func:`read_facts`): its imports and the functions it calls
_LIGHT_QUERY = """
(call_expression function: (identifier) @fname arguments: (arguments) @args) @fcall
(import_statement source: (string) @source) @import
"""
#: run only on files that mention ``env.``: most do not, and member expressions are many
_ENV_QUERY = """
(member_expression object: (member_expression) @object property: (property_identifier) @name) @read
"""

PUSHER_METHODS = frozenset(
    {"subscribe", "bind", "trigger", *TEARDOWN_METHODS, *ECHO_CHANNEL_METHODS, *ECHO_LISTEN_METHODS}
)


def extract(
    src: sources.SourceFile, env: Mapping[str, str], deadline: Deadline = NEVER, package: str = ""
) -> FileFacts:
    """Collect the Pusher facts of one parsed file of the app ``package``.

    Raises :class:`~pusher_doctor.deadline.TimeLimitExceeded` once ``deadline`` has passed.
    """
    resolver = Resolver(src.tree.root_node, env, sources.query(src.language, ASSIGNMENT_QUERY), src.ancestry)
    facts = FileFacts(src, resolver, is_staff_path(src.rel), package)
    roles = Roles(src.is_vue, src.ancestry)
    news: list[Node] = []
    member_calls: list[tuple[Node, Node, str, Node]] = []
    states: list[tuple[Node, Node, Node]] = []
    hook_calls: list[tuple[Node, str, Node]] = []
    for _, match in QueryCursor(sources.query(src.language, _FACT_QUERY)).matches(src.tree.root_node):
        deadline.check()
        if "new" in match:
            news.append(match["new"][0])
        elif "mcall" in match:
            method = text(match["method"][0])
            if method in PUSHER_METHODS or method in EFFECT_HOOKS:
                member_calls.append((match["mcall"][0], match["recv"][0], method, match["args"][0]))
        elif "fcall" in match:
            node, name, args = match["fcall"][0], text(match["fname"][0]), match["args"][0]
            facts.calls_by_name.setdefault(name, []).append(node)
            if name in EFFECT_HOOKS:
                add_effect(facts, roles, node, args)
            elif name in HOOK_NAMES:
                hook_calls.append((node, name, args))
            elif name in VUE_CLEANUP_CALLS:
                add_vue_cleanup(roles, args)
        elif "state" in match:
            states.append((match["state"][0], match["names"][0], match["call"][0]))
        elif "import" in match:
            facts.imports.append(Import(match["import"][0], text(match["source"][0]).strip("'\"")))
    _add_requires(facts)
    _add_env_reads(facts)
    directive = _directive(src)
    facts.use_client, facts.use_server = directive == "use client", directive == "use server"
    for node, _, method, args in member_calls:  # React.useEffect(...)
        if method in EFFECT_HOOKS:
            add_effect(facts, roles, node, args)
    calls = [call for call in member_calls if call[2] in PUSHER_METHODS]
    for node in news:
        deadline.check()
        add_client(facts, roles, node)
    for node, recv, method, args in calls:
        deadline.check()
        if method == "subscribe":
            add_subscription(facts, roles, node, recv, args)
        elif method in ECHO_CHANNEL_METHODS and is_echo(recv):
            add_subscription(facts, roles, node, recv, args, echo_method=method)
    for node, name, args in hook_calls:  # useChannel before the useEvent naming its result
        if name != PUSHER_EVENT_HOOK:
            add_hook_call(facts, roles, node, name, args)
    for node, name, args in hook_calls:
        if name == PUSHER_EVENT_HOOK:
            add_hook_call(facts, roles, node, name, args)
    for node, recv, method, args in calls:
        deadline.check()
        if method == "bind":
            add_bind(facts, roles, node, recv, args)
        elif method == "trigger":
            add_trigger(facts, recv, node, args)
        elif method in ECHO_LISTEN_METHODS:
            add_echo_bind(facts, roles, node, recv, method, args)
    roles.forget()  # bound handlers are known now: roles cached before may be stale
    add_teardowns(facts, roles, [call for call in calls if call[2] in TEARDOWN_METHODS], deadline)
    for declarator, names, call in states:
        deadline.check()
        add_state(facts, declarator, names, call)
    deadline.check()
    for item in (*facts.subscriptions, *facts.binds, *facts.clients):
        item.enclosing = roles.around(item.node)  # found before every role was known
    link_effects(facts, roles)
    link_setter_calls(facts)
    _add_owned_calls(facts, roles)
    facts.shell = file_shell(facts)
    return facts


#: words (lowercase) of which a file must hold one for any Pusher fact to be found in it, as the facts'
#: modules tell them: a client is ``new Pusher``/``new Echo`` or from a library named so (``pusher``,
#: ``pusher-js``, ``laravel-echo``), and so is a hook's library (``use-pusher``, ``@laravel/echo-react``);
#: a subscription is a ``subscribe`` call, or Echo's ``channel``/``join``... on a receiver named ``echo``;
#: a bind, an Echo listen or a teardown needs a subscription, ``pusher.channel(name)`` or a receiver named
#: like a channel or client; a trigger or ``disconnect`` a receiver named ``pusher``/``echo`` or a client.
#: A change to those conditions must keep this list in step: tests/scan/test_light_read.py compares
#: :func:`read_facts` with ``slimmed(extract(...))`` on every fixture and generated file.
_PUSHER_WORDS = (b"pusher", b"echo", b"subscribe", b"channel")


def read_facts(
    src: sources.SourceFile, env: Mapping[str, str], deadline: Deadline = NEVER, package: str = ""
) -> FileFacts:
    """``slimmed(extract(src, ...))``, for less: a file holding none of :data:`_PUSHER_WORDS` cannot have a
    Pusher fact, so only what a slim file keeps is read from its tree (its imports, called names, env reads
    and part of the app shell), unless that shows it must be kept whole after all."""
    if may_hold_pusher(src.parsed):
        return slimmed(extract(src, env, deadline, package))
    facts = FileFacts(src, None, is_staff_path(src.rel), package)  # type: ignore[arg-type]
    for _, match in QueryCursor(sources.query(src.language, _LIGHT_QUERY)).matches(src.tree.root_node):
        deadline.check()
        if "fcall" in match:
            facts.calls_by_name.setdefault(text(match["fname"][0]), []).append(match["fcall"][0])
        else:
            facts.imports.append(Import(match["import"][0], text(match["source"][0]).strip("'\"")))
    _add_requires(facts)
    if _kept_whole(facts) or _factory_calls(facts):
        return slimmed(extract(src, env, deadline, package))
    _add_env_reads(facts)
    directive = _directive(src)
    facts.use_client, facts.use_server = directive == "use client", directive == "use server"
    deadline.check()
    facts.shell = file_shell(facts)
    return slim_copy(facts)


def forget_lookups(facts: FileFacts) -> None:
    """Lets go of what reading a whole file found on the way (its scopes, patterns, parents), which the
    rules find again when they ask: kept for each file with Pusher code until the rules had run, it was
    half of what such a file cost, and memory grew with the tree."""
    facts.resolver.forget()
    facts.src.ancestry.forget()


def prepare_light_read(language: str) -> None:
    """Compile the queries :func:`read_facts` runs on most files of ``language`` (compiling one costs as much
    as reading dozens of files): done before a helper process is forked, it need not compile them again."""
    for source in (_LIGHT_QUERY, _ENV_QUERY, *(() if language == "typescript" else (JSX_QUERY,))):
        sources.query(language, source)


def may_hold_pusher(code: bytes) -> bool:
    """Whether ``code`` holds one of :data:`_PUSHER_WORDS`: without one it has no Pusher fact."""
    lowered = code.lower()
    return any(word in lowered for word in _PUSHER_WORDS)


def _kept_whole(facts: FileFacts) -> bool:
    """Kept with its tree though it has no Pusher fact: an ``Echo.connect()``, or a ``dotenv`` import
    (scan-backend orders a server client's ``process.env`` reads against the ``dotenv.config()`` call)."""
    return b".connect(" in facts.src.parsed or any(found.source == "dotenv" for found in facts.imports)


def slimmed(facts: FileFacts) -> FileFacts:
    """``facts`` without its tree when the file has no Pusher code: what other files ask of it (its
    imports, its env reads, its part of the app shell, the names it calls) as plain data. Most of an app's
    files never touch Pusher; keeping their trees is what made memory grow with the tree. Files with any
    Pusher fact, an ``Echo.connect()``, or a ``dotenv`` import (scan-backend orders a server client's
    ``process.env`` reads against the ``dotenv.config()`` call in its tree), are kept whole."""
    if (
        facts.clients
        or facts.servers
        or facts.subscriptions
        or facts.binds
        or facts.teardowns
        or facts.triggers
        or facts.owned_calls
        or _kept_whole(facts)
    ):
        return facts
    return slim_copy(facts)


_SHARED: dict[object, object] = {}


def _shared(value: object) -> Any:
    """One object for equal values across the scan's files (a shell, a set of called names, an env read's code)."""
    return _SHARED.setdefault(value, value)


def slim_copy(facts: FileFacts) -> SlimFacts:
    """What a slim file keeps of ``facts`` (see :func:`slimmed`), whatever the file holds: a file with Pusher
    code keeps it too once the rules need not hold its tree (see :class:`~.records.SummaryFacts`)."""
    src = facts.src
    # an import's place is a finding's (a module leaking the secret), its source the way to that module; an
    # env read is a finding's place (a secret in the bundle, an undefined variable) or the API's address
    imports = tuple(chain.from_iterable((found.source, *found.node.start_point) for found in facts.imports))
    env_reads = tuple(chain.from_iterable((name, node.text, *node.start_point) for name, node in facts.env_reads))
    shell = facts.shell
    return unpacked((
        src.path, src.rel, src.language, facts.staff, facts.package, imports, env_reads, facts.use_client,
        facts.use_server, (shell.roots, shell.registered, shell.renders, shell.routes), tuple(facts.calls_by_name),
    ))


def packed(facts: SlimFacts) -> tuple:
    """A slim file's facts (see :func:`slimmed`) as plain values, which pickle many times faster than its
    objects: the helper process sends most of a large tree's files this way. :func:`unpacked` undoes it."""
    return facts.plain()


def unpacked(values: tuple) -> SlimFacts:
    """The slim facts :func:`packed` made plain values of. Names are interned and equal values shared: the
    same few import sources, env names and shells recur across an app's files."""
    path, rel, language, staff, package, imports, env_reads, use_client, use_server, shell, called = values
    imports, env_reads = list(imports), list(env_reads)
    imports[::3] = map(intern, imports[::3])  # each import's source
    env_reads[::4] = map(intern, env_reads[::4])  # each env read's name
    env_reads[1::4] = map(_shared, env_reads[1::4])  # and its code
    return SlimFacts(
        sources.SlimSource(path, rel, language),
        staff,
        intern(package),
        tuple(imports),
        tuple(env_reads),
        use_client,
        use_server,
        _shared(Shell(*shell)),
        _shared(frozenset(intern(name) for name in called)),
    )


def _add_owned_calls(facts: FileFacts, roles: Roles) -> None:
    """Calls of functions imported from the app's own modules, made once per mount or effect run: the
    rules check whether the function creates a client (a factory in another module)."""
    for name, source in _factory_calls(facts).items():
        for call in facts.calls_by_name[name]:
            enclosing = roles.around(call)
            owner, _ = ownership(facts, roles, call, enclosing)
            if owner.per_mount:
                facts.owned_calls.append(OwnedCall(call, name, source, enclosing, owner))


def _factory_calls(facts: FileFacts) -> dict[str, str]:
    """Name -> source of the functions imported from the app's own modules that the file calls: each
    may be a client factory (components and hooks are not)."""
    return {
        name: source
        for name, source in imported_names(facts).items()
        if source.startswith((".", "@/", "~/"))
        and name[:1].islower()
        and not name.startswith("use")
        and name in facts.calls_by_name
    }


def _add_requires(facts: FileFacts) -> None:
    """``require('x')`` calls count as imports of ``x``."""
    for call in facts.calls_by_name.get("require", ()):
        found = call.child_by_field_name("arguments")
        first = found.named_children[0] if found is not None and found.named_child_count else None
        if first is not None and first.type == "string":
            facts.imports.append(Import(call, text(first).strip("'\"")))


def _add_env_reads(facts: FileFacts) -> None:
    """``process.env.X`` and ``import.meta.env.X``: what a secret in the bundle is read through."""
    src = facts.src
    if b"env." not in src.parsed:
        return
    for _, match in QueryCursor(sources.query(src.language, _ENV_QUERY)).matches(src.tree.root_node):
        read = match["read"][0]
        name = env_variable(read)
        if name is not None:
            facts.env_reads.append((name, read))


def _directive(src: sources.SourceFile) -> str | None:
    """The file's first statement when it is a string: React's ``'use client'`` (it runs in the
    browser) or ``'use server'`` (server actions: the browser gets only a stub that calls them)."""
    for child in src.tree.root_node.named_children:
        if child.type == "comment":
            continue
        first = child.named_children[0] if child.type == "expression_statement" and child.named_child_count else None
        return text(first).strip("'\"") if first is not None and first.type == "string" else None
    return None
