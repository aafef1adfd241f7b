"""The whole scanned tree as the rules see it: per-file facts plus facts found at call sites.

A custom hook or helper that subscribes to a parameter (``usePusherChannel(channelName, eventName,
handler)``) says nothing by itself; its call sites do. For each subscription/bind whose channel or
event name is made only of parameters of a named function, every call of that function (by name,
in any scanned file of the same app) yields a copy of the fact with the parameters filled in from the
call's arguments, located at the argument that supplied the name. One level deep: a hook that passes
its parameter on to another hook is not followed further.

A tree may hold several apps (see :mod:`~pusher_doctor.scan.packages`): call sites, imports and each
app's env are looked up within the app a file belongs to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from pusher_doctor.scan import contract
from pusher_doctor.scan.channel_index import ChannelIndex, build_index
from pusher_doctor.scan.contract import ALL_EVENTS
from pusher_doctor.scan.envfile import FrontendEnv
from pusher_doctor.scan.facts import Bind, FileFacts, Subscription, extract, forget_lookups
from pusher_doctor.scan.model import BackendPusherSettings
from pusher_doctor.scan.packages import ROOT_PACKAGE, dependency_major
from pusher_doctor.scan.sources import SourceFile, load
from pusher_doctor.scan.tree import arguments, object_property, unwrap
from pusher_doctor.scan.values import Hole, ParamRef, Pattern


@dataclass
class CallSite:
    """A call of a named function: where, and which file's facts it belongs to."""

    facts: FileFacts
    node: Node
    arguments: list[Node]
    filled: dict[tuple[Pattern, tuple[Hole, ...]], tuple[Pattern, Node] | None] = field(default_factory=dict)


@dataclass
class Project:
    """What every rule is given: each file's facts, each app's env values, the backend's key and
    cluster, and the facts found at call sites of hooks and helpers."""

    root: Path
    files: list[FileFacts]
    #: each app's env, by app (see :mod:`~pusher_doctor.scan.packages`); the root's is always there
    envs: dict[str, FrontendEnv]
    backend: BackendPusherSettings | None
    #: facts found at call sites of hooks/helpers: (file of the call site, fact)
    call_site_subscriptions: list[tuple[FileFacts, Subscription]] = field(default_factory=list)
    call_site_binds: list[tuple[FileFacts, Bind]] = field(default_factory=list)
    _call_sites: dict[str, list[CallSite]] = field(default_factory=dict, repr=False)
    #: (file, node, pattern) of facts already added from call sites: the same hook defined twice
    #: (copied code) must not report each call site twice
    _seen: set[tuple[str, int, str, str]] = field(default_factory=set, repr=False)
    _by_rel: dict[str, FileFacts] | None = field(default=None, repr=False)
    #: by app, the files whose component stays mounted while the app runs (found on first use)
    _staying: dict[str, set[str]] = field(default_factory=dict, repr=False)

    _majors: dict[tuple[str, str], int | None] = field(default_factory=dict, repr=False)
    _indexes: dict[str, ChannelIndex] = field(default_factory=dict, repr=False)
    _whole: dict[str, FileFacts] = field(default_factory=dict, repr=False)

    def channel_index(self, package: str) -> ChannelIndex:
        """Who subscribes, binds and triggers each channel of the app ``package`` (built once)."""
        index = self._indexes.get(package)
        if index is None:
            index = self._indexes[package] = build_index(self, package)
        return index

    def dependency_major(self, facts: FileFacts, name: str) -> int | None:
        """The major version of the npm package ``name`` in the app of ``facts`` (from its package.json)."""
        key = (facts.package, name)
        if key not in self._majors:
            base = self.root if self.root.is_dir() else self.root.parent
            self._majors[key] = dependency_major(base / facts.package if facts.package else base, name)
        return self._majors[key]

    def stays_mounted(self, facts: FileFacts) -> bool:
        """True when the file's component stays mounted as long as the app runs (see :mod:`.shell`)."""
        staying = self._staying.get(facts.package)
        if staying is None:
            from pusher_doctor.scan.shell import staying_files  # it reads the apps' trees: only when asked

            staying = self._staying[facts.package] = staying_files(self, self.packages()[facts.package])
        return facts.src.rel in staying

    @property
    def env(self) -> FrontendEnv:
        """The env of the scanned root's own app."""
        return self.envs[ROOT_PACKAGE]

    def env_of(self, facts: FileFacts) -> FrontendEnv:
        """The env of the app ``facts`` belongs to."""
        return self.envs.get(facts.package) or self.env

    def packages(self) -> dict[str, list[FileFacts]]:
        """The scanned files by app, in scan order: what one app does says nothing of another."""
        found: dict[str, list[FileFacts]] = {}
        for facts in self.files:
            found.setdefault(facts.package, []).append(facts)
        return found

    def add_call_site_fact(self, facts: FileFacts, fact: Subscription | Bind) -> None:
        what = fact.channel.display() if isinstance(fact, Subscription) else fact.event.display()
        key = (facts.src.rel, fact.node.id, type(fact).__name__, what)
        if key not in self._seen:
            self._seen.add(key)
            if isinstance(fact, Subscription):
                self.call_site_subscriptions.append((facts, fact))
            else:
                self.call_site_binds.append((facts, fact))

    def subscriptions(self) -> Iterator[tuple[FileFacts, Subscription]]:
        for facts in self.files:
            for subscription in facts.subscriptions:
                yield facts, subscription
        yield from self.call_site_subscriptions

    def binds(self) -> Iterator[tuple[FileFacts, Bind]]:
        for facts in self.files:
            for bind in facts.binds:
                yield facts, bind
        yield from self.call_site_binds

    def imported(self, facts: FileFacts, source: str) -> FileFacts | None:
        """The scanned file an import in ``facts`` names: relative (``./lib/pusher``) or from the
        project's root alias (``@/lib/pusher``, ``~/lib/pusher``: ``src/`` or the scanned folder), with
        or without its extension, or a folder's ``index``. None for packages and unscanned files."""
        if self._by_rel is None:
            self._by_rel = {facts.src.rel: facts for facts in self.files}
        if source.startswith("."):
            bases = [posixpath.normpath(posixpath.join(posixpath.dirname(facts.src.rel), source))]
        elif source.startswith(("@/", "~/")):  # the alias is the app's src/ (or its folder)
            app = facts.package
            bases = [posixpath.normpath(posixpath.join(app, "src", source[2:])),
                     posixpath.normpath(posixpath.join(app, source[2:]))]
        else:
            return None
        for base in bases:
            for candidate in (base, *(base + suffix for suffix in _IMPORT_SUFFIXES),
                              *(f"{base}/index{suffix}" for suffix in _IMPORT_SUFFIXES)):
                found = self._by_rel.get(candidate)
                if found is not None:
                    return found
        return None

    def whole(self, facts: FileFacts) -> FileFacts:
        """The whole facts of a file kept without its tree (:attr:`FileFacts.slim`): read and parsed again,
        once, when a hook is called there (its call site is a fact of that file)."""
        if not facts.slim:
            return facts
        found = self._whole.get(facts.src.rel)
        if found is None:
            loaded = load(facts.src.path, facts.src.rel)
            if not isinstance(loaded, SourceFile):  # changed on disk since: nothing to find there
                return facts
            found = self._whole[facts.src.rel] = extract(loaded, self.env_of(facts).values, package=facts.package)
        return found

    def forget_lookups(self) -> None:
        """Lets go of what each whole file's resolver and ancestry found (found again when asked): kept for
        every file with Pusher code at once, they made memory grow with the tree."""
        for facts in (*self.files, *self._whole.values()):
            if not facts.slim:
                forget_lookups(facts)

    def call_sites(self, function: str, package: str | None = None) -> list[CallSite]:
        """Every call ``function(...)`` in the scanned files (computed once per name), only those of
        the app ``package`` when it is given."""
        if not function:
            return []
        sites = self._call_sites.get(function)
        if sites is None:
            sites = []
            for facts in self.files:
                if facts.slim:
                    if function not in facts.called:
                        continue
                    facts = self.whole(facts)
                for node in facts.calls_by_name.get(function, ()):
                    sites.append(CallSite(facts, node, arguments(node.child_by_field_name("arguments"))))
            self._call_sites[function] = sites
        if package is None:
            return sites
        return [site for site in sites if site.facts.package == package]


def build_project(
    root: Path, files: list[FileFacts], envs: dict[str, FrontendEnv], backend: BackendPusherSettings | None
) -> Project:
    project = Project(root, files, envs, backend)
    _expand_call_sites(project)
    return project


#: what an import may leave out: the extension, in the order bundlers try them
_IMPORT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".vue")

#: path words that mark a view of the hotel chat (guest page or staff inbox)
CONTRACT_PATH_WORDS = ("guest", "staff")


def hotel_contract_evidence(project: Project, package: str | None = None) -> str | None:
    """What in the code (of the app ``package``, or of any app) shows the hotel-chat contract, or None:
    the contract rules run only where it shows.

    Evidence, strongest first: a bound ``new-staff-message`` event; a channel with the backend's
    shape (``{hotel}-room-{room}-chat``, ``{hotel}-conversation-{id}-chat``) or meant to be one (a
    name about a hotel's room or conversation); a file that uses Pusher under a guest or staff path.
    A generic chat app's ``chat-room-5`` is none of these.
    """
    for facts, bind in project.binds():
        if bind.event.literal == contract.ROOM_EVENT and package in (None, facts.package):
            return f"{_where(facts, bind.node)} binds '{contract.ROOM_EVENT}'"
    for facts, subscription in project.subscriptions():
        if package not in (None, facts.package):
            continue
        verdict = contract.classify_channel(subscription.channel)
        about_hotel = "hotel" in subscription.channel.display().lower() and verdict.near is not None
        if verdict.kind in (contract.ROOM, contract.CONVERSATION) or about_hotel:
            return f"{_where(facts, subscription.node)} subscribes to '{subscription.channel.display()}'"
    for facts in project.files:
        if package not in (None, facts.package):
            continue
        words = [word for word in CONTRACT_PATH_WORDS if word in facts.src.rel.lower()]
        if words and (facts.subscriptions or facts.binds or facts.clients):
            return f"{facts.src.rel} uses Pusher in a {words[0]} view"
    return None


def _where(facts: FileFacts, node: Node) -> str:
    return f"{facts.src.rel}:{node.start_point[0] + 1}"


def param_holes(pattern: Pattern | None) -> list[Hole]:
    """Holes of ``pattern`` when it is made only of parameters of one named function."""
    if pattern is None or pattern.text or not pattern.holes:
        return []
    holes = list(pattern.holes)
    owners = {hole.param.function if hole.param else "" for hole in holes}
    if len(owners) != 1 or "" in owners:
        return []
    return holes


def argument_for(param: ParamRef, site: CallSite) -> Node | None:
    """The argument node a call site passes for ``param`` (positional, or a prop of an object)."""
    if param.index >= len(site.arguments):
        return None
    argument = unwrap(site.arguments[param.index])
    if param.prop is None:
        return argument
    if argument.type == "object":
        return object_property(argument, param.prop)
    return None


def _fill(pattern: Pattern, holes: list[Hole], site: CallSite) -> tuple[Pattern, Node] | None:
    """``pattern`` with its parameter holes filled from the call's arguments (memoised per call:
    copies of one hook across a tree share their call sites)."""
    key = (pattern, tuple(holes))
    if key not in site.filled:
        site.filled[key] = _compute_fill(pattern, holes, site)
    return site.filled[key]


def _compute_fill(pattern: Pattern, holes: list[Hole], site: CallSite) -> tuple[Pattern, Node] | None:
    values: dict[ParamRef, Pattern] = {}
    first: Node | None = None
    for hole in holes:
        assert hole.param is not None
        argument = argument_for(hole.param, site)
        if argument is None:
            return None
        values[hole.param] = site.facts.resolver.pattern(argument)
        first = first or argument
    filled = pattern.substitute(values)
    if first is None or filled == pattern:
        return None
    return filled, first


def _expand_call_sites(project: Project) -> None:
    for facts in project.files:
        for subscription in facts.subscriptions:
            holes = param_holes(subscription.channel)
            if not holes:
                continue
            function = holes[0].param.function if holes[0].param else ""
            for site in project.call_sites(function, facts.package):
                filled = _fill(subscription.channel, holes, site)
                if filled is not None:
                    channel, argument = filled
                    project.add_call_site_fact(
                        site.facts, Subscription(argument, argument, channel, None, via=function)
                    )
        for bind in facts.binds:
            _expand_bind(project, facts, bind)


def _expand_bind(project: Project, facts: FileFacts, bind: Bind) -> None:
    event_holes = param_holes(bind.event)
    channel_holes = param_holes(bind.channel)
    holes = event_holes or channel_holes
    if not holes:
        return
    if not event_holes and bind.event.literal not in ALL_EVENTS:
        return  # an unknown literal event is already reported in the hook's own file
    function = holes[0].param.function if holes[0].param else ""
    for site in project.call_sites(function, facts.package):
        event, event_node = bind.event, bind.event_node
        channel = bind.channel
        if event_holes:
            filled = _fill(bind.event, event_holes, site)
            if filled is None:
                continue
            event, event_node = filled
        if channel_holes and channel is not None:
            filled_channel = _fill(channel, channel_holes, site)
            if filled_channel is not None:
                channel = filled_channel[0]
                if not event_holes:
                    event_node = filled_channel[1]
        if event_holes or channel != bind.channel:
            project.add_call_site_fact(
                site.facts, Bind(event_node, event_node, event, None, None, None, channel, None, via=function)
            )
