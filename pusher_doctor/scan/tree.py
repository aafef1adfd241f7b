"""Small helpers over tree-sitter JavaScript/TypeScript syntax trees, shared by facts, values and rules.

They know the grammar (which node types are functions, where a call keeps its arguments) and
nothing of Pusher, React's meaning or the backend: that knowledge lives in ``facts`` and ``rules``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterator, Sequence
from itertools import accumulate
from typing import TypeVar

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


#: what may stand between a function and the variable it is assigned to: memo(...), forwardRef(...)
_WRAPPING_CALL_TYPES = ("arguments", "call_expression", "parenthesized_expression")
#: Node.parent calls a file may make before its parents are indexed (cheap while the tree is shallow)
_STEPS_BEFORE_INDEX = 256

_Step = TypeVar("_Step")
_Answer = TypeVar("_Answer")


class Ancestry:
    """Parents of one tree's named nodes, found in one pass on first use, and walks up from any node.

    tree-sitter's ``Node.parent`` searches down from the root on every call, so climbing from a node
    N levels deep costs N² steps (5,000 nested arrow functions took minutes). After a few hundred
    climbing steps in a file, its parents are indexed in one pass and each becomes one dictionary
    lookup; small files never pay for the index. :meth:`nearest` remembers its answer for every node
    it passes, so all the climbs of one file together stay linear in its size.
    """

    def __init__(self, root: Node) -> None:
        self._root = root
        self._parents: dict[int, Node] | None = None
        self._steps = 0
        self._nearest: dict[frozenset[str], dict[Hashable, Node | None]] = {}

    def forget(self) -> None:
        """Lets go of what was found so far (it is found again when asked). The steps taken are remembered:
        a file that needed its parents indexed has them indexed again at once, not after a costly climb."""
        self._parents, self._nearest = None, {}

    def parent(self, node: Node) -> Node | None:
        """The parent of a named node (None for the root)."""
        if self._parents is None:
            self._steps += 1
            if self._steps <= _STEPS_BEFORE_INDEX:
                return node.parent
            self._parents = _named_parents(self._root)
        return self._parents.get(node.id)

    def ancestors(self, node: Node, stop: Node | None = None) -> Iterator[Node]:
        """The parents of ``node``, innermost first, ending before ``stop`` (or at the root)."""
        parent = self.parent(node)
        while parent is not None and (stop is None or parent.id != stop.id):
            yield parent
            parent = self.parent(parent)

    def nearest(self, node: Node, types: frozenset[str]) -> Node | None:
        """The nearest proper ancestor of ``node`` whose type is one of ``types``.

        :func:`first_outwards` written out: every fact, binding and role asks this, and the closures
        that function takes cost a third of the climb.
        """
        memo = self._nearest.setdefault(types, {})
        walked: list[Hashable] = []
        answer: Node | None = None
        current = self.parent(node)
        while current is not None:
            key = current.id
            if key in memo:
                answer = memo[key]
                break
            walked.append(key)
            if current.type in types:
                answer = current
                break
            current = self.parent(current)
        for key in walked:
            memo[key] = answer
        return answer

    def innermost_function(self, node: Node) -> Node | None:
        """The nearest function around ``node``; None at module level."""
        return self.nearest(node, FUNCTION_TYPES)

    def enclosing_functions(self, node: Node) -> Iterator[Node]:
        """Functions around ``node``, innermost first."""
        fn = self.innermost_function(node)
        while fn is not None:
            yield fn
            fn = self.innermost_function(fn)

    def function_name(self, fn: Node) -> str | None:
        """The name a function is known by: its own, its variable's, or the method/property name."""
        name = fn.child_by_field_name("name")
        if name is not None:
            return text(name)
        parent = self.parent(fn)
        # const X = memo(() => ...), forwardRef(...), useCallback(...)
        while parent is not None and parent.type in _WRAPPING_CALL_TYPES:
            parent = self.parent(parent)
        if parent is not None and parent.type == "variable_declarator":
            target = parent.child_by_field_name("name")
            return text(target) if target is not None and target.type == "identifier" else None
        if parent is not None and parent.type == "pair":
            key = parent.child_by_field_name("key")
            return text(key).strip("'\"") if key is not None else None
        return None

    def called_with(self, fn: Node) -> str | None:
        """Name of the function ``fn`` is passed to as an argument (``useMemo``, ``onMounted``...)."""
        parent = self.parent(fn)
        call = self.parent(parent) if parent is not None and parent.type == "arguments" else None
        if call is None or call.child_by_field_name("function") is None:
            return None
        return callee_name(call)


def first_outwards(
    start: _Step | None,
    outer: Callable[[_Step], _Step | None],
    found: Callable[[_Step], _Answer | None],
    key: Callable[[_Step], Hashable],
    memo: dict[Hashable, _Answer | None],
) -> _Answer | None:
    """The first answer ``found`` gives for ``start``, ``outer(start)``, ``outer(outer(start))``...

    The answer is remembered (in ``memo``, under ``key``) for every step passed, so that many climbs
    over the same chain (every call in a deeply nested file asking for its scope) cost linear time
    in total rather than depth times calls.
    """
    walked: list[Hashable] = []
    answer: _Answer | None = None
    step = start
    while step is not None:
        step_key = key(step)
        if step_key in memo:
            answer = memo[step_key]
            break
        walked.append(step_key)
        answer = found(step)
        if answer is not None:
            break
        step = outer(step)
    for step_key in walked:
        memo[step_key] = answer
    return answer


def _named_parents(root: Node) -> dict[int, Node]:
    # named nodes only: anonymous ones (punctuation, keywords) are leaves nobody climbs from
    parents: dict[int, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            parents[child.id] = node
            stack.append(child)
    return parents


class Positions:
    """Start bytes of some nodes, sorted once, for finding those that start within a span."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        self._order = sorted(range(len(nodes)), key=lambda i: nodes[i].start_byte)
        self._starts = [nodes[i].start_byte for i in self._order]

    def within(self, span: tuple[int, int], holes: Sequence[tuple[int, int]] = ()) -> list[int]:
        """Indices (in the original order) of the nodes starting in ``span`` but in none of ``holes``."""
        low, high = bisect_left(self._starts, span[0]), bisect_left(self._starts, span[1])
        return sorted(
            index
            for index, start in zip(self._order[low:high], self._starts[low:high], strict=True)
            if not any(s <= start < e for s, e in holes)
        )


class Spans:
    """The source spans of some nodes, for asking whether a node lies inside any of them."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        spans = sorted((node.start_byte, node.end_byte) for node in nodes)
        self._starts = [start for start, _ in spans]
        #: the furthest end among the spans starting at or before each one
        self._reach = list(accumulate((end for _, end in spans), max))

    def contain(self, node: Node) -> bool:
        """True when ``node`` lies within one of the spans (as :func:`inside` means it)."""
        count = bisect_right(self._starts, node.start_byte)
        return count > 0 and self._reach[count - 1] >= node.end_byte


def text(node: Node) -> str:
    """The source text of ``node`` (undecodable bytes replaced)."""
    return node.text.decode("utf-8", errors="replace") if node.text is not None else ""


def unwrap(node: Node) -> Node:
    """Strip parentheses and TypeScript-only wrappers (``x as string``, ``x!``)."""
    while node.type in _TRANSPARENT_TYPES and node.named_child_count:
        node = node.named_children[0]
    return node


def inside(node: Node, container: Node) -> bool:
    """True when ``node`` lies within ``container``'s source span."""
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


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
    """The last name of a call's callee: ``useState`` for ``useState(...)`` and ``React.useState(...)``."""
    callee = call.child_by_field_name("function")
    return text(callee).rpartition(".")[2] if callee is not None else ""


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
