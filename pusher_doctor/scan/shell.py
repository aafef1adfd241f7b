"""Which components stay mounted for as long as the app runs, judged by where they are used.

A component that never unmounts cannot lose a subscription when it does, nor bind twice when it mounts
again: the lifecycle rules leave it alone. Such components are found from the app's entry, not from
file names:

- the root: the component given to ``createApp(X)``, ``new Vue({ render: h => h(X) })``,
  ``createRoot(el).render(<X />)``, ``ReactDOM.render(<X />, el)`` or ``hydrateRoot``, and files whose
  name says they wrap every page (``App.*``, ``_app.*``, ``layout.*``, ``layouts/``...);
- a component a staying component renders unconditionally: in JSX not under ``&&``, ``?:`` or a
  ``Route``; in a Vue template without ``v-if``/``v-else``/``v-for`` on its tag;
- in a page-per-request app (a root ``new Vue({ el })`` or ``createApp({...}).mount(el)`` with no
  vue-router in the app, as Laravel's Blade pages have), every component registered on the root or
  globally (``Vue.component('x', X)``, ``app.component(...)``): the page is reloaded, never the
  component swapped.

Imports are followed within the app (relative paths and its ``@/``/``~/`` alias).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from tree_sitter import Node, QueryCursor

from pusher_doctor.scan import sources
from pusher_doctor.scan.tree import Ancestry, arguments, first_argument, object_property, text, unwrap

if TYPE_CHECKING:
    from pusher_doctor.scan.facts import FileFacts
    from pusher_doctor.scan.facts.records import Shell
    from pusher_doctor.scan.project import Project

#: file names of components that wrap every page: mounted once, for as long as the app runs
ROOT_COMPONENT_STEMS = frozenset({"app", "_app", "main", "layout", "root", "bootstrap", "default"})
#: folders whose components wrap every page (Nuxt layouts, plugins, Quasar boot files)
ROOT_FOLDERS = frozenset({"layouts", "plugins", "boot"})
#: calls that mount the app's root component (their first argument, or the JSX element rendered)
_MOUNT_CALLS = frozenset({"createApp", "createSSRApp", "render", "hydrateRoot", "hydrate"})
#: JSX elements whose children are shown only on some routes
_ROUTE_ELEMENTS = frozenset({"Route", "Routes", "Switch", "Suspense"})
#: Vue attributes that make an element come and go
_CONDITIONAL_ATTRIBUTES = re.compile(r"\sv-(?:if|else-if|else|for)\b|\s:key\s*=")
_ROUTERS = ("vue-router", "@inertiajs/", "react-router", "next/")

JSX_QUERY = """
(jsx_self_closing_element name: (_) @name) @element
(jsx_opening_element name: (_) @name) @element
"""
_TAG = re.compile(r"<([A-Za-z][\w.-]*)([^<>]*?)/?>", re.DOTALL)


@functools.cache
def is_root_file(rel: str) -> bool:
    """App.vue, _app.jsx, layout.tsx, layouts/*.vue: named as wrapping every page."""
    path = PurePosixPath(rel.lower())
    return path.stem in ROOT_COMPONENT_STEMS or bool(ROOT_FOLDERS & set(path.parts[:-1]))


def file_shell(facts: FileFacts) -> Shell:
    """The file's part of the app's shell (see :class:`~pusher_doctor.scan.facts.records.Shell`)."""
    from pusher_doctor.scan.facts.records import Shell  # facts imports this module while it loads

    imported = imported_names(facts)
    roots, registered = [], []
    for source, page_only in _mounted_roots(facts, imported):
        (registered if page_only else roots).append(source)
    renders = []
    for name in _always_rendered(facts, imported):
        source = imported.get(name) or imported.get(_pascal(name))
        if source is not None:
            renders.append(source)
    routes = any(found.source.startswith(_ROUTERS) for found in facts.imports)
    return Shell(tuple(roots), tuple(registered), tuple(dict.fromkeys(renders)), routes)


def staying_files(project: Project, files: list[FileFacts]) -> set[str]:
    """The files (relative paths) of one app whose component stays mounted while the app runs."""
    pending: list[FileFacts] = [facts for facts in files if is_root_file(facts.src.rel)]
    page_per_request = not any(facts.shell.routes for facts in files)
    for facts in files:
        for root in (*facts.shell.roots, *(facts.shell.registered if page_per_request else ())):
            target = project.imported(facts, root)
            if target is not None:
                pending.append(target)
    staying: set[str] = set()
    while pending:
        facts = pending.pop()
        if facts.src.rel in staying:
            continue
        staying.add(facts.src.rel)
        for source in facts.shell.renders:
            target = project.imported(facts, source)
            if target is not None and target.src.rel not in staying:
                pending.append(target)
    return staying


def _mounted_roots(facts: FileFacts, imported: dict[str, str]) -> Iterator[tuple[str, bool]]:
    """Import sources of the components this file mounts as the app's root, each with whether it only
    stays mounted in a page-per-request app (registered rather than rendered)."""
    for name in _MOUNT_CALLS:
        for call in [*facts.calls_by_name.get(name, ()), *member_calls(facts, name)]:
            first = first_argument(call.child_by_field_name("arguments"))
            if first is None:
                continue
            first = unwrap(first)
            if first.type == "identifier" and text(first) in imported:
                yield imported[text(first)], False
            elif first.type in ("jsx_self_closing_element", "jsx_element"):
                element = first if first.type == "jsx_self_closing_element" else first.named_children[0]
                tag = element.child_by_field_name("name")
                if tag is not None and text(tag) in imported:
                    yield imported[text(tag)], False
            elif first.type == "object":
                yield from ((source, True) for source in _registered(facts, first, imported))
    for new in _vue_roots(facts):
        options = first_argument(new.child_by_field_name("arguments"))
        if options is None or unwrap(options).type != "object":
            continue
        render = object_property(options, "render")
        if render is not None:
            for name, source in imported.items():
                if re.search(rf"\b{re.escape(name)}\b", text(render)):
                    yield source, False
        else:
            yield from ((source, True) for source in _registered(facts, unwrap(options), imported))
    if _vue_roots(facts) or facts.calls_by_name.get("createApp"):
        for call in member_calls(facts, "component"):
            found = arguments(call.child_by_field_name("arguments"))
            if len(found) == 2:
                yield from ((source, True) for source in _component_source(found[1], imported))


def _registered(facts: FileFacts, options: Node, imported: dict[str, str]) -> Iterator[str]:
    """Sources of the components a root options object registers (``components: { X, y: Y }``)."""
    components = object_property(options, "components")
    if components is None or unwrap(components).type != "object":
        return
    for child in unwrap(components).named_children:
        value = child.child_by_field_name("value") if child.type == "pair" else child
        if value is not None:
            yield from _component_source(value, imported)


def _component_source(value: Node, imported: dict[str, str]) -> Iterator[str]:
    """``X`` (imported), ``require('./X.vue').default`` or ``() => import('./X.vue')``: its source."""
    value = unwrap(value)
    if value.type in ("identifier", "shorthand_property_identifier") and text(value) in imported:
        yield imported[text(value)]
        return
    found = re.search(r"""(?:require|import)\(\s*['"]([^'"]+)['"]""", text(value))
    if found:
        yield found.group(1)


def _vue_roots(facts: FileFacts) -> list[Node]:
    """``new Vue({...})`` in this file."""
    found = []
    for node in _news(facts):
        ctor = node.child_by_field_name("constructor")
        if ctor is not None and text(ctor) == "Vue":
            found.append(node)
    return found


def _news(facts: FileFacts) -> list[Node]:
    if b"new Vue" not in facts.src.parsed:
        return []
    query = sources.query(facts.src.language, "(new_expression) @new")
    return QueryCursor(query).captures(facts.src.tree.root_node).get("new", [])


def member_calls(facts: FileFacts, method: str) -> list[Node]:
    """``x.method(...)`` calls of the file (``ReactDOM.render``, ``Vue.component``)."""
    if f".{method}(".encode() not in facts.src.parsed:
        return []
    query = sources.query(
        facts.src.language,
        "(call_expression function: (member_expression property: (property_identifier) @p)) @call",
    )
    return [
        match["call"][0]
        for _, match in QueryCursor(query).matches(facts.src.tree.root_node)
        if text(match["p"][0]) == method
    ]


def imported_names(facts: FileFacts) -> dict[str, str]:
    """Local name -> import source, for the file's imports (default, named and namespace)."""
    names: dict[str, str] = {}
    for found in facts.imports:
        node = found.node
        if node.type != "import_statement":
            continue
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for name in _clause_names(clause):
                names[name] = found.source
    return names


def _clause_names(clause: Node) -> Iterator[str]:
    for child in clause.named_children:
        if child.type == "identifier":
            yield text(child)
        elif child.type == "named_imports":
            for spec in child.named_children:
                alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                if alias is not None:
                    yield text(alias)
        elif child.type == "namespace_import" and child.named_child_count:
            yield text(child.named_children[0])


def _always_rendered(facts: FileFacts, imported: dict[str, str]) -> Iterator[str]:
    """Component names this file renders unconditionally (JSX, or its Vue template)."""
    if facts.src.is_vue:
        yield from _template_tags(facts.src.text)
        return
    if facts.src.language == "typescript":
        return  # the TypeScript grammar (.ts) has no JSX
    parsed = facts.src.parsed
    if not any(name[:1].isupper() and b"<" + name.encode() in parsed for name in imported):
        return  # no imported component appears as a tag: nothing to follow (most files)
    query = sources.query(facts.src.language, JSX_QUERY)
    ancestry = facts.src.ancestry
    for _, match in QueryCursor(query).matches(facts.src.tree.root_node):
        name = text(match["name"][0])
        if not name[:1].isupper() or name in _ROUTE_ELEMENTS:
            continue
        if not _conditional(ancestry, match["element"][0]):
            yield name


def _conditional(ancestry: Ancestry, element: Node) -> bool:
    """Under ``&&``/``||``/``?:``, in a list's ``map``, or inside a routing element."""
    for parent in ancestry.ancestors(element):
        if parent.type in ("ternary_expression", "binary_expression", "call_expression"):
            return True
        if parent.type == "jsx_element":
            opening = parent.named_children[0] if parent.named_child_count else None
            tag = opening.child_by_field_name("name") if opening is not None else None
            if tag is not None and text(tag) in _ROUTE_ELEMENTS:
                return True
        if parent.type in ("function_declaration", "arrow_function", "function_expression", "method_definition"):
            return False
    return False


def _template_tags(vue_text: str) -> Iterator[str]:
    """Tags of a .vue file's ``<template>`` without an attribute that makes them come and go."""
    start = vue_text.find("<template")
    end = vue_text.rfind("</template>")
    if start < 0 or end < 0:
        return
    for found in _TAG.finditer(vue_text, start + len("<template"), end):
        name, attributes = found.group(1), found.group(2)
        if name.lower() in ("template", "router-view", "routerview", "slot", "component"):
            continue
        if not _CONDITIONAL_ATTRIBUTES.search(" " + attributes):
            yield name


def _pascal(name: str) -> str:
    """``chat-box`` -> ``ChatBox`` (Vue templates name components either way)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))
