"""``echo-event-prefix``: Echo's ``listen('name')`` without the leading dot, for a raw event name.

Laravel Echo prefixes every event passed to ``listen`` with its namespace (``App\\Events\\``, dots
turned into backslashes) unless the name starts with ``.``. That is right for a broadcast event
class (``listen('OrderShipped')`` receives ``App\\Events\\OrderShipped``), wrong for a name set with
``broadcastAs()`` or sent by another backend (``new-staff-message``, ``message.sent``). A name with
``-`` cannot be a PHP class (error); a lower-case or ``snake_case`` name almost never is (warning);
a dotted ``PascalCase`` name is a namespaced class unless ``broadcastAs()`` gave it that name (note);
a plain ``PascalCase`` name is a class and not reported. When an Echo is
created with another ``namespace`` option it is used; with ``namespace: false`` or ``''`` nothing is
prefixed and nothing is reported.

The leading dot the other way round: ``listen('.App.Events.OrderShipped')`` makes Echo listen for
``App.Events.OrderShipped`` as written, dots and all, while Laravel broadcasts the class as
``App\\Events\\OrderShipped``: an error (a name starting with the namespace is a class name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.scan.facts import LARAVEL_ECHO, Bind, FileFacts
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, options_object
from pusher_doctor.scan.tree import object_property, unwrap

DEFAULT_NAMESPACE = "App.Events"
#: a segment of a class name: PascalCase letters and digits
_CLASS_SEGMENT = re.compile(r"[A-Z][A-Za-z0-9]*")


def check(project: Project) -> Iterator[Hit]:
    for facts, bind in project.binds():
        namespace = project.memo((__name__, facts.package), _namespace, project, facts.package)
        if not namespace or bind.api != LARAVEL_ECHO:
            continue
        if not bind.echo_prefixed:
            hit = _dotted_class_name(facts, bind, namespace)
            if hit is not None:
                yield hit
            continue
        written = bind.event.parts[0] if bind.event.parts else None
        if not isinstance(written, str) or not written:
            continue
        severity = _raw_name_severity(written)
        if severity is None:
            continue
        name = bind.event.display()
        received = (namespace + "." + name).replace(".", "\\")
        caveat = " (right when that is the event's class, wrong when broadcastAs() names it so)"
        yield hit_at(
            facts,
            bind.event_node,
            f"listen('{name}') has no leading dot, so Echo listens for '{received}'; an event broadcast as "
            f"'{name}' (broadcastAs(), or another backend) never reaches this handler"
            + (caveat if severity is Severity.NOTE else ""),
            f"listen('.{name}'): the leading dot tells Echo to use the name as it is",
            severity,
        )


def _dotted_class_name(facts: FileFacts, bind: Bind, namespace: str) -> Hit | None:
    """``listen('.App.Events.X')``: the dot keeps the name as written, so the dots are never turned
    into the backslashes of the class name Laravel broadcasts."""
    written = facts.resolver.pattern(bind.event_node).literal
    if written is None or not written.startswith("." + namespace + "."):
        return None
    name = written[1:]
    short = name[len(namespace) + 1 :]
    broadcast = name.replace(".", "\\")
    return hit_at(
        facts,
        bind.event_node,
        f"listen('{written}'): the leading dot makes Echo listen for '{name}' as written, but Laravel broadcasts "
        f"the event class as '{broadcast}', so this handler never runs",
        f"listen('{short}') (Echo adds '{namespace}.' and turns dots into backslashes), or "
        f"listen('.{broadcast.replace(chr(92), chr(92) * 2)}')",
        Severity.ERROR,
    )


def _raw_name_severity(written: str) -> Severity | None:
    """How sure it is that ``written`` (the literal start of the name) is not a class name."""
    if "-" in written or ":" in written or " " in written:
        return Severity.ERROR  # never part of a PHP class name
    segments = [segment for segment in written.split(".") if segment]
    if any(not _CLASS_SEGMENT.fullmatch(segment) for segment in segments):
        return Severity.WARNING  # message.sent, message_sent: a broadcastAs name, almost always
    if len(segments) > 1:
        return Severity.NOTE  # Chat.MessageSent: App\Events\Chat\MessageSent, unless broadcastAs names it so
    return None


def _namespace(project: Project, package: str) -> str | None:
    """The namespace Echo prefixes: the default, the one the app's ``new Echo`` sets, or None when it
    sets none (``false``/``''``) or one the scan cannot read."""
    found: set[str | None] = set()
    for facts in project.packages()[package]:
        found.update(project.note(_namespaces, facts) or ())
    if len(found) > 1:
        return None  # several Echo set up differently: which one a listen uses cannot be told
    return next(iter(found), DEFAULT_NAMESPACE)


def _namespaces(facts: FileFacts) -> frozenset[str | None] | None:
    """The namespaces the file's ``new Echo`` set (None in it for one the scan cannot read); None when it
    creates no Echo."""
    found: set[str | None] = set()
    for client in facts.clients:
        if client.library != LARAVEL_ECHO:
            continue
        options = options_object(facts, client.options)
        value = object_property(options, "namespace") if options is not None else None
        if value is None:
            found.add(DEFAULT_NAMESPACE)
        elif unwrap(value).type in ("false", "null", "undefined"):
            found.add("")
        else:
            found.add(facts.resolver.pattern(value).literal)
    return frozenset(found) if found else None


RULE = Rule(
    id="echo-event-prefix",
    checklist_item="event-name",
    title="Echo listens for a raw event name without the leading dot",
    finds="Laravel Echo's `.listen('name', ...)` where `name` has no leading `.` and looks like a "
    "`broadcastAs()` or raw event name rather than an event class: it contains `-` (error: no PHP class can), "
    "or a part of it is lower-case or `snake_case` (`message.sent`, `message_sent`: warning), or it is dotted "
    "`PascalCase` (`Chat.MessageSent`: a note, as it is right for the class `App\\Events\\Chat\\MessageSent` "
    "and wrong for a `broadcastAs('Chat.MessageSent')`). A plain `PascalCase` name (`MessageSent`) is an event "
    "class, correct without the dot. Also `.listen('.App.Events.X')`: with the dot Echo keeps the dots, "
    "while Laravel broadcasts `App\\Events\\X` (error). Follows an "
    "app's `new Echo({ namespace })`; says nothing when the namespace is turned off or cannot be read.",
    why="Echo prefixes the name with its namespace (`App\\Events\\new-staff-message`), the server sends "
    "`new-staff-message`, and the handler never runs: the most common cause of \"events not received\" with "
    "Echo.",
    fix="Start the name with a dot: `.listen('.new-staff-message', ...)`.",
    wrong="window.Echo.channel(`${hotel}-room-${room}-chat`)\n  .listen('new-staff-message', (e) => show(e));",
    right="window.Echo.channel(`${hotel}-room-${room}-chat`)\n  .listen('.new-staff-message', (e) => show(e));",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
    note=_namespaces,
)
