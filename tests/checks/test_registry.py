"""The checklist registry: stable ids, and every dependency between checks declared and in order."""

from __future__ import annotations

import ast
import inspect

from pusher_doctor.checks import all_checks

CHECKS = all_checks()


def test_ids_are_unique_and_each_dependency_names_an_earlier_check():
    seen: list[str] = []
    for check in CHECKS:
        assert check.id not in seen, check.id
        for dependency in (*check.needs, *check.uses):
            assert dependency in seen, f"{check.id} depends on {dependency}, which does not run before it"
        seen.append(check.id)


def _context_fields(function: object, assigned: bool) -> set[str]:
    """The CheckContext fields a check function reads (or writes) as `ctx.<field>`."""
    fields = set()
    for node in ast.walk(ast.parse(inspect.getsource(inspect.getmodule(function)))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ctx"
                and isinstance(node.ctx, ast.Store) == assigned):
            fields.add(node.attr)
    return fields


def test_a_check_that_reads_what_another_check_writes_declares_it():
    # The context is how checks talk: reading a field another check fills in is a dependency.
    writers: dict[str, str] = {}
    upstream: dict[str, set[str]] = {}
    for check in CHECKS:
        direct = {*check.needs, *check.uses}
        declared = direct.union(*(upstream[d] for d in direct))
        upstream[check.id] = declared
        for field in _context_fields(check.run, assigned=False):
            writer = writers.get(field)
            assert writer is None or writer == check.id or writer in declared, \
                f"{check.id} reads ctx.{field}, written by {writer}, without needs/uses naming it"
        for field in _context_fields(check.run, assigned=True):
            writers.setdefault(field, check.id)
