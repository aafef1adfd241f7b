"""Comparing the frontend's Pusher key or cluster with the backend's (``key-mismatch``, ``cluster-mismatch``).

Every ``new Pusher`` whose value resolves to a literal is compared; only when none resolves is the
env file's ``*_PUSHER_KEY`` / ``*_PUSHER_CLUSTER`` compared instead, at its line in the env file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from pusher_doctor.scan.envfile import EnvSetting, FrontendEnv
from pusher_doctor.scan.facts import Client, FileFacts
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, hit_at
from pusher_doctor.scan.sources import Location, relative_name
from pusher_doctor.scan.values import Pattern

#: where a client's value for the compared setting sits, and what it resolves to
ReadSetting = Callable[[FileFacts, Client], tuple[Node, Pattern] | None]


def credential_mismatch(
    project: Project,
    what: str,
    backend: str | None,
    setting: Callable[[FrontendEnv], EnvSetting | None],
    read: ReadSetting,
    reported_elsewhere: Callable[[str], bool] = lambda value: False,
) -> Iterator[Hit]:
    """Hits where the frontend's ``what`` (``key`` or ``cluster``) differs from ``backend``, app by app
    (``setting`` picks it from an app's env file); values that ``reported_elsewhere`` accepts (the
    backend's secret used as the key) are left to that rule."""
    if not backend:
        return
    backend = backend.strip()
    for files in project.packages().values():
        yield from _app_mismatch(project, files, what, backend, setting, read, reported_elsewhere)


def _app_mismatch(
    project: Project,
    files: list[FileFacts],
    what: str,
    backend: str,
    setting: Callable[[FrontendEnv], EnvSetting | None],
    read: ReadSetting,
    reported_elsewhere: Callable[[str], bool],
) -> Iterator[Hit]:
    env = setting(project.env_of(files[0]))
    hint = f"set the frontend's Pusher {what} to the backend's ('{backend}')" + (
        "; the key is public, never put the secret in the frontend" if what == "key" else ""
    )
    compared = False
    for facts in files:
        for client in facts.clients:
            found = read(facts, client)
            value = found[1].literal if found else None
            if value is None:
                continue
            compared = True
            if value.strip() != backend and not reported_elsewhere(value):
                origin = _origin(project, project.env_of(facts), found[1])
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


def _origin(project: Project, env: FrontendEnv, value: Pattern) -> str:
    if not value.env:
        return "literal in the code"
    named = []
    for variable in value.env:
        path = env.origins.get(variable)
        named.append(f"{variable} in {relative_name(path, project.root)}" if path else variable)
    return "from " + ", ".join(named)
