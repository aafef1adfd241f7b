"""``cluster-mismatch``: the frontend's Pusher cluster differs from the backend's (when both are known)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Client, FileFacts
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, options_object
from pusher_doctor.scan.rules._credentials import compares, credential_mismatch, env_mismatch
from pusher_doctor.scan.tree import object_property
from pusher_doctor.scan.values import Pattern


def check(project: Project) -> Iterator[Hit]:
    yield from credential_mismatch(project, "cluster", _backend(project), _client_cluster)


def finish(project: Project) -> Iterator[Hit]:
    yield from env_mismatch(project, "cluster", _backend(project), lambda env: env.cluster, _compares)


def _backend(project: Project) -> str | None:
    return project.backend.cluster if project.backend else None


def _compares(facts: FileFacts) -> bool | None:
    return compares(facts, _client_cluster)


def _client_cluster(facts: FileFacts, client: Client) -> tuple[Node, Pattern] | None:
    options = options_object(facts, client.options)
    value = object_property(options, "cluster") if options is not None else None
    return (value, facts.resolver.pattern(value)) if value is not None else None


RULE = Rule(
    id="cluster-mismatch",
    checklist_item="credentials",
    title="Frontend Pusher cluster differs from the backend's",
    finds="The `cluster` option of `new Pusher(...)` (or, when none resolves, the env file's "
    "`*_PUSHER_CLUSTER` / `*_PUSHER_APP_CLUSTER`) differs from the backend's cluster. Only when both "
    "sides are known.",
    why="Clusters are separate deployments: the client connects to one, the backend triggers on another.",
    fix="Use the backend's cluster.",
    wrong="new Pusher(key, { cluster: 'us2' });  // backend: eu",
    right="new Pusher(key, { cluster: 'eu' });",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
    note=_compares,
    finish=finish,
)
