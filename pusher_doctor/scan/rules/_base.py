"""What every scan rule is made of (:class:`Rule`, :class:`Hit`) and the helpers several rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from pusher_doctor.scan.facts import FileFacts
from pusher_doctor.scan.model import RuleInfo, Scope, Severity
from pusher_doctor.scan.project import Note, Project
from pusher_doctor.scan.sources import Location
from pusher_doctor.scan.tree import text, unwrap


@dataclass(frozen=True)
class Hit:
    """What a check reports; the engine adds the rule id and checklist item."""

    location: Location
    message: str
    hint: str
    #: when this case is more (or less) certain than the rule's usual finding
    severity: Severity | None = None


Check = Callable[[Project], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """A rule's stable id, the guide's checklist item it guards, its documentation and its check.

    ``docs/scan-rules.md`` is rendered from these fields: ``finds`` (what it reports and what it
    deliberately does not), ``why`` (the consequence for the guest), ``fix``, and a ``wrong`` and a
    ``right`` example. ``severity`` is what its findings usually are (a hit may say otherwise);
    ``scope`` says whether it always runs or only on code that shows the hotel-chat contract.

    With ``per_file`` (every rule of :data:`~pusher_doctor.scan.rules.RULES`), ``check`` is given the project
    as one file's view (:meth:`~pusher_doctor.scan.project.Project.view`: ``files`` holds that file alone),
    once for each scanned file in scan order, so that the scan holds one file's syntax tree at a time; what it
    needs of the other files it asks of the project (apps, imports, the channel index, call sites) or of
    their ``note``: what ``note`` returns for a file (plain data, None for nothing) is kept when its tree is
    let go, and read by :meth:`~pusher_doctor.scan.project.Project.note`. ``finish`` reports, once every file
    is checked, what belongs to no scanned file (a line of an env file). Without ``per_file`` (another
    command's collector), ``check`` is given the whole project once, every file's tree held.
    """

    id: str
    checklist_item: str
    title: str
    finds: str
    why: str
    fix: str
    wrong: str
    right: str
    check: Check
    severity: Severity = Severity.WARNING
    scope: Scope = Scope.GENERIC
    per_file: bool = False
    note: Note | None = None
    finish: Check | None = None

    def info(self) -> RuleInfo:
        """The rule as plain data, for the report (SARIF's rule table)."""
        return RuleInfo(self.id, self.title, self.checklist_item, self.severity, self.scope, self.finds, self.fix)


def hit_at(facts: FileFacts, node: Node, message: str, hint: str, severity: Severity | None = None) -> Hit:
    """A hit located at ``node`` of the file ``facts`` describes."""
    return Hit(facts.src.location(node), message, hint, severity)


def via(fact_via: str | None) -> str:
    """`` (through useX(...))`` for a fact found at a call site of a hook or helper, else ''."""
    return f" (through {fact_via}(...))" if fact_via else ""


def options_object(facts: FileFacts, options: Node | None) -> Node | None:
    """The object literal ``options`` is (``new Pusher`` options, a nested ``auth``), directly or through a
    ``const``."""
    if options is None:
        return None
    options = unwrap(options)
    if options.type == "identifier":
        values = facts.resolver.values_of(options)
        options = unwrap(values[0]) if values else options
    elif options.type == "shorthand_property_identifier":  # { auth: { headers } }
        binding = facts.resolver.lookup(text(options), options)
        if binding is not None and binding.kind == "value" and binding.node is not None:
            options = unwrap(binding.node)
    return options if options.type == "object" else None
