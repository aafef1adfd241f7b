"""The frontend's side, for the cross-checks, and a Node server's ``pusher`` SDK: read by the frontend
scan's own engine (its walk, parsers, name resolution and time limits), with one rule of this module's
that reports nothing and collects the facts the engine extracted.

Uses the frontend scan's public names only: ``scan_frontend``, ``Rule``, ``Scope`` and the fact types.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from pusher_doctor.backend.laravel import walk
from pusher_doctor.backend.model import (
    NODE,
    Backend,
    EnvLoad,
    FrontendView,
    Listen,
    ServerClient,
    Subscribed,
    Trigger,
)
from pusher_doctor.contract.model import PUSHER_EVENT_PREFIXES, echo_wire_event
from pusher_doctor.scan import Rule, ScanInputError, Scope, SkippedFile, scan_frontend
from pusher_doctor.scan.facts import LARAVEL_ECHO, FileFacts
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules import Hit
from pusher_doctor.scan.sources import DEFAULT_SKIP_DIRS, Location
from pusher_doctor.scan.tree import arguments, object_property, text, unwrap

#: the backend's folders that hold no frontend code worth reading
SKIP_DIRS = DEFAULT_SKIP_DIRS | {"vendor", "storage", ".venv", "venv", "__pycache__"}
#: a request that carries the socket id: Echo adds it to a global axios, or the app sets the header
_SOCKET_ID = re.compile(r"x-socket-id|window\.axios\s*=|socketId\(\)", re.IGNORECASE)
_PROCESS_ENV = re.compile(r"process\.env\.([A-Za-z_][A-Za-z0-9_]*)")
#: where a page sets up how its channel subscriptions are authorized
_CHANNEL_AUTH = re.compile(r"authEndpoint|authorizer|channelAuthorization|broadcasting/auth")
_BEARER = re.compile(r"Authorization['\"]?\s*:\s*[`'\"]Bearer\b")
#: Node SDK options and the option the Python SDK calls the same thing
_NODE_OPTIONS = {"appId": "app_id", "key": "key", "secret": "secret", "cluster": "cluster", "useTLS": "ssl",
                 "encrypted": "ssl", "host": "host", "port": "port"}


def read_frontend(backend: Backend, root: Path, time_limit: float) -> FrontendView | None:
    """What the JavaScript/TypeScript/Vue code under ``root`` subscribes to and binds (locations relative
    to the backend's root), and the Node server SDK's clients and triggers it holds (added to
    ``backend``). None when there is no such code."""
    view = FrontendView(root, 0)
    prefix = _prefix(backend.root, root)
    collector = Rule(id="backend-cross-check", checklist_item="contract", title="collects the frontend's facts",
                     finds="", why="", fix="", wrong="", right="", scope=Scope.GENERIC,
                     check=lambda project: _collect(project, view, backend, prefix))
    try:
        report = scan_frontend(root, rules=[collector], contract="none", skip_dirs=SKIP_DIRS, time_limit=time_limit)
    except ScanInputError:
        return None
    view.files = report.files_scanned
    view.incomplete = report.incomplete is not None
    view.skipped = [SkippedFile(prefix + skip.file, skip.reason, skip.kind) for skip in report.skipped]
    return view


def _prefix(backend_root: Path, root: Path) -> str:
    """What to put before a frontend path to make it relative to the backend's root."""
    base = backend_root if backend_root.is_dir() else backend_root.parent
    folder = root if root.is_dir() else root.parent
    relative = Path(os.path.relpath(folder, base)).as_posix()
    return "" if relative == "." else relative + "/"


def _at(facts: FileFacts, node: Node, prefix: str) -> Location:
    where = facts.src.location(node)
    return Location(prefix + where.file, where.line, where.column, where.code)


def _collect(project: Project, view: FrontendView, backend: Backend, prefix: str) -> Iterator[Hit]:
    for facts, subscription in project.subscriptions():
        view.subscriptions.append(Subscribed(subscription.channel, _at(facts, subscription.arg, prefix)))
    for facts, bind in project.binds():
        written = bind.event.literal
        if not written or written.startswith(PUSHER_EVENT_PREFIXES):
            continue
        wire = written
        if bind.api == LARAVEL_ECHO and bind.echo_prefixed:
            wire = echo_wire_event(written)
        view.listens.append(Listen(wire, written, bind.channel, _at(facts, bind.event_node, prefix),
                                   bind.api == LARAVEL_ECHO))
    for facts in project.files:
        if facts.servers:
            _read_node_server(backend, facts, prefix)
            continue
        for node in walk(facts.src.tree.root_node) if b"dotenv" in facts.src.parsed else ():
            if node.type == "call_expression":
                _read_env_load(backend, facts, prefix, node)
        code = facts.src.text
        if _SOCKET_ID.search(code):
            view.sends_socket_id = True
        found = _BEARER.search(code)
        if found is not None and view.bearer_auth is None and (facts.clients or _CHANNEL_AUTH.search(code)):
            row = code.count("\n", 0, found.start())
            view.bearer_auth = Location(prefix + facts.src.rel, row + 1, 1, code.split("\n")[row].strip())
    _hoisted_imports(project, backend, prefix)
    return iter(())


def _read_node_server(backend: Backend, facts: FileFacts, prefix: str) -> None:
    """The Node SDK's ``new Pusher({...})`` options and its ``trigger(channel, event, data)`` calls."""
    backend.frameworks.add(NODE)
    for server in facts.servers:
        found = arguments(server.node.child_by_field_name("arguments"))
        options: dict[str, object] = {}
        texts: dict[str, str] = {}
        for name, same in _NODE_OPTIONS.items():
            value = object_property(found[0], name) if found else None
            if value is not None:
                value = unwrap(value)
                options[same] = _js_literal(facts, value)
                texts[same] = text(value)
        shown = unwrap(found[0]) if found else None
        indirect = None if shown is not None and shown.type == "object" and not any(
            child.type == "spread_element" for child in shown.named_children) else "options not written out"
        reads = tuple(dict.fromkeys(_PROCESS_ENV.findall(text(server.node))))
        module_level = facts.src.ancestry.innermost_function(server.node) is None
        backend.clients.append(ServerClient(NODE, _at(facts, server.node, prefix), options, texts, module_level,
                                            reads, server.node.start_byte, indirect))
    for node in walk(facts.src.tree.root_node):
        if node.type != "call_expression":
            continue
        _read_env_load(backend, facts, prefix, node)
        function = node.child_by_field_name("function")
        prop = function.child_by_field_name("property") if function is not None else None
        if prop is None or text(prop) != "trigger":
            continue
        args = arguments(node.child_by_field_name("arguments"))
        if len(args) < 2:
            continue
        first = unwrap(args[0])
        items = [unwrap(item) for item in first.named_children] if first.type == "array" else [first]
        channels = tuple(facts.resolver.pattern(item) for item in items)
        receiver = function.child_by_field_name("object")
        backend.triggers.append(Trigger(NODE, _at(facts, node, prefix), channels, facts.resolver.pattern(args[1]),
                                        _node_swallowed(node), receiver=text(receiver) if receiver else ""))


def _read_env_load(backend: Backend, facts: FileFacts, prefix: str, call: Node) -> None:
    """``dotenv.config()`` (``require('dotenv').config()``, ``config()`` imported from dotenv)."""
    function = call.child_by_field_name("function")
    called = text(function).replace('"', "'") if function is not None else ""
    imports_dotenv = any(found.source == "dotenv" for found in facts.imports)
    if called in ("dotenv.config", "require('dotenv').config") or (called == "config" and imports_dotenv):
        module_level = facts.src.ancestry.innermost_function(call) is None
        backend.env_loads.append(EnvLoad(prefix + facts.src.rel, call.start_byte, module_level))


def _hoisted_imports(project: Project, backend: Backend, prefix: str) -> None:
    """ES modules a file imports are run before its body: a ``dotenv.config()`` in the body comes after every
    client those modules build from ``process.env`` at their top level."""
    for facts in project.files:
        if not any(load.file == prefix + facts.src.rel for load in backend.env_loads):
            continue
        for found in facts.imports:
            if found.node.type != "import_statement":
                continue
            imported = project.imported(facts, found.source)
            if imported is not None and imported.servers:
                backend.hoisted.append((_at(facts, found.node, prefix), prefix + imported.src.rel))


def _js_literal(facts: FileFacts, value: Node) -> object:
    if value.type in ("true", "false"):
        return value.type == "true"
    if value.type == "number":
        try:
            return int(text(value))
        except ValueError:
            return None
    return facts.resolver.pattern(value).literal if value.type in ("string", "template_string") else None


def _node_swallowed(call: Node) -> str | None:
    """``.catch(() => {})`` on the trigger's promise, or an empty ``catch {}`` around it."""
    parent = call.parent
    if parent is not None and parent.type == "await_expression":
        parent = parent.parent
    if parent is not None and parent.type == "member_expression":
        prop = parent.child_by_field_name("property")
        outer = parent.parent
        if prop is not None and text(prop) == "catch" and outer is not None and outer.type == "call_expression":
            handler = arguments(outer.child_by_field_name("arguments"))
            body = handler[0].child_by_field_name("body") if handler else None
            if body is not None and body.type == "statement_block" and not _code_in(body):
                return ".catch(() => {})"
    child, parent = call, call.parent
    while parent is not None and parent.type not in ("function_declaration", "arrow_function", "function_expression",
                                                     "method_definition"):
        if parent.type == "try_statement" and parent.child_by_field_name("body") == child:
            handler = parent.child_by_field_name("handler")
            body = handler.child_by_field_name("body") if handler is not None else None
            if body is not None and not _code_in(body):
                return "catch {}"
        child, parent = parent, parent.parent
    return None


def _code_in(block: Node) -> bool:
    return any(child.type != "comment" for child in block.named_children)


