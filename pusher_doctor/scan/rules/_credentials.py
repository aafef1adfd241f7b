"""Comparing the frontend's Pusher key or cluster with the backend's (``key-mismatch``, ``cluster-mismatch``).

Every ``new Pusher`` whose value resolves to a literal is compared; only when none resolves is the
env file's ``*_PUSHER_KEY`` / ``*_PUSHER_CLUSTER`` compared instead, at its line in the env file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from ..envfile import EnvSetting
from ..facts import Client, FileFacts
from ..project import Project
from ..sources import Location, relative_name
from ..values import Pattern
from ._base import Hit, hit_at

#: where a client's value for the compared setting sits, and what it resolves to
ReadSetting = Callable[[FileFacts, Client], tuple[Node, Pattern] | None]


def credential_mismatch(
    project: Project,
    what: str,
    backend: str | None,
    env: EnvSetting | None,
    read: ReadSetting,
    reported_elsewhere: Callable[[str], bool] = lambda value: False,
) -> Iterator[Hit]:
    """Hits where the frontend's ``what`` (``key`` or ``cluster``) differs from ``backend``; values that
    ``reported_elsewhere`` accepts (the backend's secret used as the key) are left to that rule."""
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
            if value.strip() != backend and not reported_elsewhere(value):
                origin = _origin(project, found[1])
                yield hit_at(
                    facts,
                    found[0],
                    f"frontend Pusher {what} '{value}' ({origin}) differs from the backend's '{backend}'",
                    hint,
                )
    if not compared and env is not None and env.value != backend and not reported_elsewhere(env.value):
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
