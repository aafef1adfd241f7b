"""``key-mismatch``: the frontend's Pusher key differs from the backend's (only when both are known)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from pusher_doctor.scan.digest import secret_digest
from pusher_doctor.scan.facts import Client, FileFacts
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule
from pusher_doctor.scan.rules._credentials import compares, credential_mismatch, env_mismatch
from pusher_doctor.scan.values import Pattern


def check(project: Project) -> Iterator[Hit]:
    secret = _is_backend_secret(project)
    yield from credential_mismatch(project, "key", _backend(project), _client_key, secret)


def finish(project: Project) -> Iterator[Hit]:
    yield from env_mismatch(project, "key", _backend(project), lambda env: env.key, _compares,
                            _is_backend_secret(project))


def _backend(project: Project) -> str | None:
    return project.backend.key if project.backend else None


def _is_backend_secret(project: Project) -> Callable[[str], bool]:
    secret = project.backend.secret_sha256 if project.backend else None

    def is_backend_secret(value: str) -> bool:
        # secret-in-browser names that case (a swap, or the secret as the key) without the values:
        # here the hint would tell the user to copy the backend's key, which is then the secret
        return secret is not None and secret_digest(value) == secret

    return is_backend_secret


def _compares(facts: FileFacts) -> bool | None:
    return compares(facts, _client_key)


def _client_key(facts: FileFacts, client: Client) -> tuple[Node, Pattern] | None:
    return (client.key, facts.resolver.pattern(client.key)) if client.key is not None else None


RULE = Rule(
    id="key-mismatch",
    checklist_item="credentials",
    title="Frontend Pusher key differs from the backend's",
    finds="The key passed to `new Pusher(...)` — a literal, a `const`, or `process.env.X` / "
    "`import.meta.env.X` resolved through the env file — differs from the backend's key. When no "
    "`new Pusher` key can be resolved, the env file's `*_PUSHER_KEY` / `*_PUSHER_APP_KEY` is compared "
    "instead. Only when both sides are known. A frontend key equal to the backend's secret (swapped key and "
    "secret) is reported by `secret-in-browser` instead, without either value.",
    why="A different key is a different Pusher app: the guest subscribes happily and the backend's events "
    "go elsewhere.",
    fix="Use the backend's key (the public one, never the secret) in the frontend env file.",
    wrong="VITE_PUSHER_KEY=old-app-key   # backend uses 3f2a...",
    right="VITE_PUSHER_KEY=3f2a...",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
    note=_compares,
    finish=finish,
)
