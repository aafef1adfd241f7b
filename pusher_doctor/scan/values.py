"""Value resolution: what string an expression can be, as a pattern of literal text and holes.

``${hotelSlug}-room-${roomNumber}-chat`` becomes ``[Hole(hotelSlug), "-room-", Hole(roomNumber), "-chat"]``.
Followed: string and template literals, ``+`` concatenation, ``const``/``let``/``var`` declarations
with an initializer in any enclosing scope (including module level), object-literal properties
(``CHANNELS.room``), calls to same-file functions whose body is one returned expression, TypeScript
``as``/``!``/``satisfies`` wrappers, and ``process.env.X`` / ``import.meta.env.X`` through the env file.
Parameters (including destructured props) become holes that remember which parameter they came
from, so call sites of a custom hook can fill them in. Anything else becomes a hole labelled with
its source text. A hole is assumed to stand for one value (a slug, a number, an id), never for a
piece of channel structure such as ``-room-``.
"""

from __future__ import annotations

import codecs
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from tree_sitter import Node, Query, QueryCursor

from pusher_doctor.scan.tree import FUNCTION_TYPES, Ancestry, arguments, object_property, text, unwrap

#: nodes that hold declarations: blocks, class bodies, and functions (their parameters)
_SCOPE_TYPES = frozenset({"program", "statement_block", "class_body", "switch_body"}) | FUNCTION_TYPES
_MAX_DEPTH = 12

#: compiled per language by the caller (see :func:`pusher_doctor.scan.facts.extract`)
ASSIGNMENT_QUERY = """
(assignment_expression left: (_) @left right: (_) @right)
(augmented_assignment_expression left: (_) @left right: (_) @right)
"""


@dataclass(frozen=True)
class ParamRef:
    """A hole that is parameter ``index`` (or prop ``prop`` of a destructured parameter) of ``function``."""

    function: str
    index: int
    prop: str | None = None


@dataclass(frozen=True)
class Hole:
    """An unknown part of a string; ``label`` is the expression it stands for (for messages)."""

    label: str
    param: ParamRef | None = None


Part = str | Hole


@dataclass(frozen=True)
class Pattern:
    """Literal text with holes. ``env`` lists the env variables the literal parts came from."""

    parts: tuple[Part, ...]
    env: tuple[str, ...] = ()

    @property
    def literal(self) -> str | None:
        """The whole value when there are no holes."""
        if any(isinstance(part, Hole) for part in self.parts):
            return None
        return "".join(self.parts)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        """Literal text only (holes dropped) — enough to tell what kind of name this is."""
        return "".join(part for part in self.parts if isinstance(part, str))

    @property
    def holes(self) -> tuple[Hole, ...]:
        return tuple(part for part in self.parts if isinstance(part, Hole))

    def display(self) -> str:
        """Human form, holes shown as ``{label}`` like the backend's ``{hotel_slug}``."""
        return "".join(part if isinstance(part, str) else "{" + part.label + "}" for part in self.parts)

    def probe(self) -> str:
        """The pattern with each hole as ``\\0`` — for matching against a channel shape."""
        return "".join(part if isinstance(part, str) else "\0" for part in self.parts)

    def __add__(self, other: Pattern) -> Pattern:
        parts: list[Part] = list(self.parts)
        for part in other.parts:
            if parts and isinstance(part, str) and isinstance(parts[-1], str):
                parts[-1] = parts[-1] + part
            else:
                parts.append(part)
        env = self.env if not other.env else tuple(dict.fromkeys(self.env + other.env))
        return Pattern(tuple(parts), env)

    def substitute(self, values: Mapping[ParamRef, Pattern]) -> Pattern:
        """Fill parameter holes with the patterns a call site passes."""
        result = Pattern(())
        for part in self.parts:
            if isinstance(part, Hole) and part.param in values:
                result = result + values[part.param]
            else:
                result = result + Pattern((part,))
        return Pattern(result.parts, tuple(dict.fromkeys(self.env + result.env)))


def hole(label: str, param: ParamRef | None = None) -> Pattern:
    return Pattern((Hole(_short(label), param),))


@dataclass(frozen=True)
class Binding:
    """What a name refers to at some point in the code."""

    kind: str  # "value" (declared with initializer), "declared", "function", "param", "import"
    node: Node | None = None
    param: ParamRef | None = None
    source: str | None = None  # import source


class Resolver:
    """Resolves names and string values within one parsed file. Scope tables are built lazily once."""

    def __init__(
        self, root: Node, env: Mapping[str, str], assignment_query: Query, ancestry: Ancestry
    ) -> None:
        self._root = root
        self._ancestry = ancestry
        self._env = env
        self._assignment_query = assignment_query
        self._scopes: dict[int, dict[str, Binding]] = {}
        self._assignments: dict[str, list[Node]] | None = None
        self._patterns: dict[int, Pattern] = {}
        #: (scope id, name) -> what the name means there, remembered for every scope a lookup passed
        self._visible: dict[Hashable, Binding | None] = {}

    def forget(self) -> None:
        """Lets go of what was found so far (it is found again when asked)."""
        self._scopes, self._assignments, self._patterns, self._visible = {}, None, {}, {}

    # --- names ---------------------------------------------------------------------------------

    def lookup(self, name: str, at: Node) -> Binding | None:
        """The nearest declaration of ``name`` visible from ``at``.

        :func:`~pusher_doctor.scan.tree.first_outwards` written out (every fact looks names up, and
        the closures it takes cost a third of the climb): what the name means is remembered for every
        scope passed.
        """
        scope = at if at.type in _SCOPE_TYPES else self._ancestry.nearest(at, _SCOPE_TYPES)
        visible = self._visible
        walked: list[Hashable] = []
        found: Binding | None = None
        while scope is not None:
            key = (scope.id, name)
            if key in visible:
                found = visible[key]
                break
            walked.append(key)
            found = self._scope(scope).get(name)
            if found is not None:
                break
            scope = self._ancestry.nearest(scope, _SCOPE_TYPES)
        for key in walked:
            visible[key] = found
        return found

    def values_of(self, expr: Node) -> list[Node]:
        """The expressions a name or ``this.x``/``ref.current`` member was set to, if known."""
        expr = unwrap(expr)
        if expr.type == "identifier":
            binding = self.lookup(text(expr), expr)
            if binding is None:
                return []
            # let channel = null; ... channel = pusher.subscribe(...): the later assignments count too
            later = self.assignments().get(text(expr), []) if binding.kind in ("value", "declared") else []
            if binding.kind in ("value", "function") and binding.node is not None:
                return [binding.node, *later]
            return list(later)
        if expr.type == "member_expression":
            return list(self.assignments().get(text(expr), []))
        return []

    def assignments(self) -> dict[str, list[Node]]:
        """``target text -> assigned values`` for every plain assignment in the file."""
        if self._assignments is None:
            found: dict[str, list[Node]] = {}
            for _, match in QueryCursor(self._assignment_query).matches(self._root):
                found.setdefault(text(match["left"][0]), []).append(unwrap(match["right"][0]))
            self._assignments = found
        return self._assignments

    def _scope(self, scope: Node) -> dict[str, Binding]:
        table = self._scopes.get(scope.id)
        if table is None:
            table = {}
            if scope.type in FUNCTION_TYPES:
                self._add_params(scope, table)
            else:
                for child in scope.named_children:
                    self._add_declarations(child, table)
            self._scopes[scope.id] = table
        return table

    def _add_declarations(self, statement: Node, table: dict[str, Binding]) -> None:
        if statement.type == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            if declaration is not None:
                self._add_declarations(declaration, table)
            return
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                if declarator.type == "variable_declarator":
                    self._add_declarator(declarator, table)
        elif statement.type in (
            "function_declaration",
            "generator_function_declaration",
            "class_declaration",
        ):
            name = statement.child_by_field_name("name")
            if name is not None:
                table.setdefault(text(name), Binding("function", statement))
        elif statement.type == "import_statement":
            source = statement.child_by_field_name("source")
            for name in _import_names(statement):
                table.setdefault(
                    name, Binding("import", source=text(source).strip("'\"") if source else None)
                )

    def _add_declarator(self, declarator: Node, table: dict[str, Binding]) -> None:
        name = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if name is None:
            return
        if name.type == "identifier":
            kind = "value" if value is not None else "declared"
            table.setdefault(text(name), Binding(kind, unwrap(value) if value is not None else None))
            return
        for identifier in _pattern_names(name):  # destructuring: const [a, setA] = ..., const {x} = ...
            table.setdefault(identifier, Binding("declared", declarator))

    def _add_params(self, fn: Node, table: dict[str, Binding]) -> None:
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        if params is None:
            return
        owner = self._ancestry.function_name(fn) or ""
        single = [params] if params.type == "identifier" else params.named_children
        index = 0
        for param in single:
            if param.type in ("comment", "type_annotation"):
                continue
            target = param.child_by_field_name("pattern") or param
            if target.type == "assignment_pattern":
                target = target.child_by_field_name("left") or target
            if target.type == "identifier":
                table.setdefault(text(target), Binding("param", param=ParamRef(owner, index)))
            elif target.type == "object_pattern":
                for prop in _object_pattern_props(target):
                    table.setdefault(prop, Binding("param", param=ParamRef(owner, index, prop)))
            else:
                for identifier in _pattern_names(target):
                    table.setdefault(identifier, Binding("param", param=ParamRef(owner, index)))
            index += 1

    # --- values --------------------------------------------------------------------------------

    def pattern(self, node: Node, bindings: Mapping[str, Pattern] | None = None, depth: int = 0) -> Pattern:
        """The string ``node`` evaluates to, as literal parts and holes."""
        if bindings or depth:
            return self._pattern(node, bindings, depth)
        cached = self._patterns.get(node.id)  # rules and call sites ask for the same nodes again
        if cached is None:
            cached = self._patterns[node.id] = self._pattern(node, None, 0)
        return cached

    def _pattern(self, node: Node, bindings: Mapping[str, Pattern] | None, depth: int) -> Pattern:
        node = unwrap(node)
        if depth > _MAX_DEPTH:
            return hole(text(node))
        kind = node.type
        if kind == "string":
            return Pattern((_string_value(node),))
        if kind == "template_string":
            return self._template(node, bindings, depth)
        if kind == "number":
            return Pattern((text(node),))
        if kind == "binary_expression" and _operator(node) == "+":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None:
                return self.pattern(left, bindings, depth + 1) + self.pattern(right, bindings, depth + 1)
        if kind == "identifier":
            return self._identifier(node, bindings, depth)
        if kind == "member_expression":
            return self._member(node, bindings, depth)
        if kind == "call_expression":
            return self._call(node, bindings, depth)
        return hole(text(node))

    def _template(self, node: Node, bindings: Mapping[str, Pattern] | None, depth: int) -> Pattern:
        result = Pattern(())
        for child in node.named_children:
            if child.type == "string_fragment":
                result = result + Pattern((text(child),))
            elif child.type == "escape_sequence":
                result = result + Pattern((_unescape(text(child)),))
            elif child.type == "template_substitution" and child.named_child_count:
                result = result + self.pattern(child.named_children[0], bindings, depth + 1)
        return result

    def _identifier(self, node: Node, bindings: Mapping[str, Pattern] | None, depth: int) -> Pattern:
        name = text(node)
        if bindings and name in bindings:
            return bindings[name]
        binding = self.lookup(name, node)
        if binding is None:
            return hole(name)
        if binding.kind == "value" and binding.node is not None and binding.node.type not in FUNCTION_TYPES:
            resolved = self.pattern(binding.node, None, depth + 1)
            # keep the name for messages when it resolved to nothing useful
            return resolved if resolved.text or not resolved.holes else hole(name, resolved.holes[0].param)
        return hole(name, binding.param)

    def _member(self, node: Node, bindings: Mapping[str, Pattern] | None, depth: int) -> Pattern:
        source = text(node)
        env_name = env_variable(node)
        if env_name is not None:
            value = self._env.get(env_name)
            return Pattern((value,), (env_name,)) if value is not None else hole(source)
        assigned = self.assignments().get(source) if source.startswith("this.") else None
        if assigned:  # this.channelName = hotelSlug + '-room-' + roomNumber + '-chat'
            return self.pattern(assigned[0], None, depth + 1)
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is not None and prop is not None and obj.type == "identifier":
            binding = self.lookup(text(obj), obj)
            if binding is not None and binding.kind == "value" and binding.node is not None:
                value = object_property(binding.node, text(prop))
                if value is not None:
                    return self.pattern(value, None, depth + 1)
        return hole(source)

    def _call(self, node: Node, bindings: Mapping[str, Pattern] | None, depth: int) -> Pattern:
        """``roomChannel(slug, room)`` where ``const roomChannel = (h, r) => `${h}-room-${r}-chat` ``."""
        callee, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if callee is None or args is None or callee.type != "identifier":
            return hole(text(node))
        fn = next(iter(self.values_of(callee)), None)
        body = _single_returned_expression(fn) if fn is not None else None
        if fn is None or body is None:
            return hole(text(node))
        names = _positional_param_names(fn)
        arg_nodes = arguments(args)
        values = {
            name: self.pattern(arg, bindings, depth + 1) for name, arg in zip(names, arg_nodes, strict=False)
        }
        return self.pattern(body, values, depth + 1)


def env_variable(node: Node) -> str | None:
    """``X`` for ``process.env.X`` and ``import.meta.env.X``, else None."""
    if node.type != "member_expression":
        return None
    obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
    if obj is None or prop is None:
        return None
    if text(obj) in ("process.env", "import.meta.env"):
        return text(prop)
    return None


def _single_returned_expression(fn: Node) -> Node | None:
    if fn.type not in FUNCTION_TYPES:
        return None
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return body
    statements = [child for child in body.named_children if child.type != "comment"]
    if len(statements) == 1 and statements[0].type == "return_statement" and statements[0].named_child_count:
        return statements[0].named_children[0]
    return None


def _positional_param_names(fn: Node) -> list[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [text(params)]
    names = []
    for param in params.named_children:
        target = param.child_by_field_name("pattern") or param
        names.append(text(target) if target.type == "identifier" else "")
    return names


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def _string_value(node: Node) -> str:
    parts = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            parts.append(_unescape(text(child)))
    return "".join(parts)


def _unescape(sequence: str) -> str:
    try:
        return codecs.decode(sequence, "unicode_escape")
    except UnicodeDecodeError:
        return sequence[1:]


def _pattern_names(pattern: Node) -> list[str]:
    """Every identifier bound by a destructuring pattern."""
    names = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(text(node))
        elif node.type == "pair_pattern":
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif node.type == "assignment_pattern":
            left = node.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        else:
            stack.extend(node.named_children)
    return names


def _object_pattern_props(pattern: Node) -> list[str]:
    """Prop names bound by ``{ hotelSlug, roomNumber: room = 1 }`` (the local names)."""
    return _pattern_names(pattern)


def _import_names(statement: Node) -> list[str]:
    names = []
    for clause in statement.named_children:
        if clause.type == "import_clause":
            names.extend(_pattern_names(clause))
    return names


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= 40 else label[:37] + "..."
