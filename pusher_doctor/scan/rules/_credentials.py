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
from pusher_doctor.scan.rules._base import Hit, Note, hit_at
from pusher_doctor.scan.sources import Location, relative_name
from pusher_doctor.scan.values import Pattern

#: where a client's value for the compared setting sits, and what it resolves to
ReadSetting = Callable[[FileFacts, Client], tuple[Node, Pattern] | None]


def credential_mismatch(
    project: Project,
    what: str,
    backend: str | None,
    read: ReadSetting,
    reported_elsewhere: Callable[[str], bool] = lambda value: False,
) -> Iterator[Hit]:
    """Hits where a client of the file checked (see :attr:`~pusher_doctor.scan.rules.Rule.per_file`) is given
    a ``what`` (``key`` or ``cluster``) that differs from ``backend``; values that ``reported_elsewhere``
    accepts (the backend's secret used as the key) are left to that rule."""
    if not backend:
        return
    backend = backend.strip()
    for facts in project.files:
        for client in facts.clients:
            found = read(facts, client)
            if found is None:
                continue
            value = found[1].literal
            if value is not None and value.strip() != backend and not reported_elsewhere(value):
                origin = _origin(project, project.env_of(facts), found[1])
                yield hit_at(
                    facts,
                    found[0],
                    f"frontend Pusher {what} '{value}' ({origin}) differs from the backend's '{backend}'",
                    _hint(what, backend),
                )


def env_mismatch(
    project: Project,
    what: str,
    backend: str | None,
    setting: Callable[[FrontendEnv], EnvSetting | None],
    compared: Note,
    reported_elsewhere: Callable[[str], bool] = lambda value: False,
) -> Iterator[Hit]:
    """Once every file is checked: the env file's ``what`` of each app none of whose clients is given one the
    scan can read (``compared``, a rule's note, says whether a file's are), where it differs from ``backend``
    (``setting`` picks it from an app's env)."""
    if not backend:
        return
    backend = backend.strip()
    for files in project.packages().values():
        env = setting(project.env_of(files[0]))
        if env is None or env.value == backend or reported_elsewhere(env.value):
            continue
        if any(project.note(compared, facts) for facts in files):
            continue
        file = relative_name(env.path, project.root)
        yield Hit(
            Location(file, env.line, 1, env.code),
            f"frontend Pusher {what} '{env.value}' ({env.variable} in {file}) differs from the backend's "
            f"'{backend}'",
            _hint(what, backend),
        )


def compares(facts: FileFacts, read: ReadSetting) -> bool | None:
    """True when a client of the file is given a value ``read`` resolves to a literal (then the env file's
    value is not compared: the code's is); None otherwise (a note says nothing)."""
    found = (read(facts, client) for client in facts.clients)
    return any(setting is not None and setting[1].literal is not None for setting in found) or None


def _hint(what: str, backend: str) -> str:
    return f"set the frontend's Pusher {what} to the backend's ('{backend}')" + (
        "; the key is public, never put the secret in the frontend" if what == "key" else ""
    )


def _origin(project: Project, env: FrontendEnv, value: Pattern) -> str:
    if not value.env:
        return "literal in the code"
    named = []
    for variable in value.env:
        path = env.origins.get(variable)
        named.append(f"{variable} in {relative_name(path, project.root)}" if path else variable)
    return "from " + ", ".join(named)
