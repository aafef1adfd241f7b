"""Small helpers over tree-sitter JavaScript/TypeScript syntax trees, shared by facts, values and rules.

They know the grammar (which node types are functions, where a call keeps its arguments) and
nothing of Pusher, React's meaning or the backend: that knowledge lives in ``facts`` and ``rules``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

FUNCTION_TYPES = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function_declaration",
        "method_definition",
        "generator_function",
        "generator_function_declaration",
        "function",
    }
)
#: wrappers that do not change an expression's value: parentheses and TypeScript-only syntax
_TRANSPARENT_TYPES = frozenset(
    {
        "as_expression",
        "non_null_expression",
        "satisfies_expression",
        "type_assertion",
        "parenthesized_expression",
    }
)
#: statement containers a ``return`` can sit in; expressions are not entered (a return there would
#: belong to a nested function), which keeps :func:`own_returns` small
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


def text(node: Node) -> str:
    """The source text of ``node`` (undecodable bytes replaced)."""
    return node.text.decode("utf-8", errors="replace") if node.text is not None else ""


def unwrap(node: Node) -> Node:
    """Strip parentheses and TypeScript-only wrappers (``x as string``, ``x!``)."""
    while node.type in _TRANSPARENT_TYPES and node.named_child_count:
        node = node.named_children[0]
    return node


def ancestors(node: Node, stop: Node | None = None) -> Iterator[Node]:
    """The parents of ``node``, innermost first, ending before ``stop`` (or at the root)."""
    parent = node.parent
    while parent is not None and (stop is None or parent.id != stop.id):
        yield parent
        parent = parent.parent


def enclosing_functions(node: Node) -> list[Node]:
    """Functions around ``node``, innermost first."""
    return [parent for parent in ancestors(node) if parent.type in FUNCTION_TYPES]


def innermost_function(node: Node) -> Node | None:
    """The nearest function around ``node``; None at module level."""
    return next((parent for parent in ancestors(node) if parent.type in FUNCTION_TYPES), None)


def inside(node: Node, container: Node) -> bool:
    """True when ``node`` lies within ``container``'s source span."""
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def function_name(fn: Node) -> str | None:
    """The name a function is known by: its own, its variable's, or the method/property name."""
    name = fn.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = fn.parent
    # const X = memo(() => ...), forwardRef(...), useCallback(...)
    while parent is not None and parent.type in ("arguments", "call_expression", "parenthesized_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
        return text(target) if target is not None and target.type == "identifier" else None
    if parent is not None and parent.type == "pair":
        key = parent.child_by_field_name("key")
        return text(key).strip("'\"") if key is not None else None
    return None


def arguments(args: Node | None) -> list[Node]:
    """The argument expressions of an ``arguments`` node, comments left out."""
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]


def first_argument(args: Node | None) -> Node | None:
    """The first argument expression of an ``arguments`` node, if any."""
    found = arguments(args)
    return found[0] if found else None


def callee_name(call: Node) -> str:
    """The last name of a call's callee: ``useState`` for both ``useState(...)`` and ``React.useState(...)``."""
    callee = call.child_by_field_name("function")
    return text(callee).rpartition(".")[2] if callee is not None else ""


def called_with(fn: Node) -> str | None:
    """Name of the function ``fn`` is passed to as an argument (``useMemo``, ``onMounted``...)."""
    parent = fn.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return None
    return callee_name(parent.parent) if parent.parent.child_by_field_name("function") else None


def own_returns(body: Node) -> Iterator[Node]:
    """Return statements of a function body, not of functions nested in it."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            yield node
        elif node.type in _STATEMENT_CONTAINERS:
            stack.extend(node.named_children)


def mentions(node: Node, name: str) -> bool:
    """True when the identifier ``name`` occurs anywhere in ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier" and text(current) == name:
            return True
        stack.extend(current.named_children)
    return False


def object_property(obj: Node, key: str) -> Node | None:
    """The value of ``key`` in an object literal, or None (also when a spread could provide it)."""
    obj = unwrap(obj)
    if obj.type != "object":
        return None
    for child in obj.named_children:
        if child.type == "pair":
            name = child.child_by_field_name("key")
            if name is not None and text(name).strip("'\"") == key:
                return child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier" and text(child) == key:
            return child
    return None


def object_keys(obj: Node) -> tuple[set[str], bool]:
    """Keys of an object literal, and whether a spread (``...base``) may add unknown ones."""
    keys: set[str] = set()
    spread = False
    for child in obj.named_children:
        if child.type == "pair":
            name = child.child_by_field_name("key")
            if name is not None:
                keys.add(text(name).strip("'\""))
        elif child.type in ("shorthand_property_identifier", "method_definition"):
            name = child.child_by_field_name("name") if child.type == "method_definition" else child
            keys.add(text(name) if name is not None else "")
        elif child.type == "spread_element":
            spread = True
    return keys, spread
