"""The whole scanned tree as the rules see it: per-file facts plus facts found at call sites.

A custom hook or helper that subscribes to a parameter (``usePusherChannel(channelName, eventName,
handler)``) says nothing by itself; its call sites do. For each subscription/bind whose channel or
event name is made only of parameters of a named function, every call of that function (by name,
in any scanned file of the same app) yields a copy of the fact with the parameters filled in from the
call's arguments, located at the argument that supplied the name. One level deep: a hook that passes
its parameter on to another hook is not followed further.

A tree may hold several apps (see :mod:`~pusher_doctor.scan.packages`): call sites, imports and each
app's env are looked up within the app a file belongs to.

The scan's rules check one file at a time (:meth:`Project.view`), so that the syntax trees of a large
tree's files are never all held: a file with Pusher code is kept between as a summary
(:class:`~pusher_doctor.scan.facts.SummaryFacts`), and what the rules ask across files (the channel index,
the hotel-chat evidence, the apps, imports and shells, the hooks' facts and their call sites' channels, each
rule's note) is answered from plain data (:class:`~pusher_doctor.scan.channel_index.ChannelUse`,
:class:`HookFact`). A project built whole (``build_project`` without ``file_by_file``) holds every file's
facts with their trees, for the collectors of other commands that read it at once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from tree_sitter import Node

from pusher_doctor.scan import contract
from pusher_doctor.scan.channel_index import BIND, SUBSCRIBE, TRIGGER, ChannelIndex, ChannelUse, build_index
from pusher_doctor.scan.contract import ALL_EVENTS
from pusher_doctor.scan.envfile import FrontendEnv
from pusher_doctor.scan.facts import (
    Bind,
    FileFacts,
    Subscription,
    SummaryFacts,
    extract,
    forget_lookups,
    slim_copy,
    text_digest,
)
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


@dataclass(frozen=True, slots=True)
class HookFact:
    """A subscription (``event`` None) or bind of a hook or helper whose channel or event name is made of its
    parameters, as plain data: each call site of ``function`` in the app fills them in (:func:`_expand`)."""

    function: str
    package: str
    channel: Pattern | None
    channel_holes: tuple[Hole, ...]
    event: Pattern | None = None
    event_holes: tuple[Hole, ...] = ()


_T = TypeVar("_T")


@dataclass
class Project:
    """What every rule is given: each file's facts, each app's env values, the backend's key and
    cluster, and the facts found at call sites of hooks and helpers. A view (:meth:`view`, the rules checking
    one file at a time) holds in :attr:`files` only the files being checked; :attr:`scanned` is every file."""

    root: Path
    #: the files the rules check: every scanned file, or in a view only those being checked
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
    #: every scanned file when :attr:`files` are not (see :attr:`scanned`)
    _scanned: list[FileFacts] | None = field(default=None, repr=False)
    #: the subscriptions and binds found at call sites of hooks, as plain data (see :class:`ChannelUse`), when
    #: the rules check files one at a time: the facts themselves are found again in each caller's view
    call_site_uses: list[ChannelUse] | None = field(default=None, repr=False)
    #: what a rule worked out for the whole tree or an app, kept for every file's view (see :meth:`memo`)
    _memo: dict[object, object] = field(default_factory=dict, repr=False)
    #: summaries whose file could not be read again, or no longer held the text read first, by file: not
    #: checked, reported as skipped (shared with every view)
    changed: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def scanned(self) -> list[FileFacts]:
        """Every scanned file, in scan order: :attr:`files` unless the rules check them one at a time (see
        :meth:`view`), where ``files`` are those being checked and each file with Pusher code is kept as a
        summary (:class:`~pusher_doctor.scan.facts.SummaryFacts`) between."""
        return self.files if self._scanned is None else self._scanned

    def view(self, files: list[FileFacts], expand: bool = True) -> Project:
        """The project as the rules see it while they check ``files`` (each summary read again: its whole
        facts), with the facts found at call sites in them (unless not to ``expand`` them); what every file
        says (apps, imports, shells, channels, notes) is shared with this project. The engine gives each file
        with Pusher code or a hook's call site a view of its own, so that a view holds one file's tree (and,
        while a rule follows a hook to its call sites, its callers'), never every file's."""
        self._rels()
        view = replace(
            self, files=[], call_site_subscriptions=[], call_site_binds=[], _call_sites={}, _seen=set(),
            _whole={}, _scanned=self.scanned,
        )
        for facts in files:
            if isinstance(facts, SummaryFacts):
                facts = view.whole(facts)
                if facts.slim:  # changed since it was read: reported as skipped, not checked
                    continue
            view.files.append(facts)
            if expand and self.calls_hooks(facts):
                _expand_in(view, view.whole(facts), self.hooks(facts.package))
        return view

    def calls_hooks(self, facts: FileFacts) -> bool:
        """Whether the file calls a hook or helper of its app whose facts its call sites fill in."""
        return any(hook.function in facts.called or hook.function in facts.calls_by_name
                   for hook in self.hooks(facts.package))

    def memo(self, key: object, compute: Callable[..., _T], *args: object) -> _T:
        """``compute(*args)``, worked out once for the project and each of its views (an app's namespace, its
        first reader of a variable): the views check one file each, but ask about the whole tree."""
        if key not in self._memo:
            self._memo[key] = compute(*args)
        return self._memo[key]  # type: ignore[return-value]

    def note(self, note: Callable[[FileFacts], _T], facts: FileFacts) -> _T:
        """What ``note`` (a rule's :attr:`~pusher_doctor.scan.rules.Rule.note`) says of the file ``facts``:
        kept in its summary when its tree was let go, else asked of its facts. Raises :class:`LookupError` for a
        note no rule registered (a summary cannot answer it: a rule's mistake, not a file's)."""
        if isinstance(facts, SummaryFacts):
            if note not in facts.noted:
                raise LookupError(f"{note.__qualname__} is not a rule's note: a summary does not keep it")
            return facts.notes.get(note)  # type: ignore[return-value]
        return note(facts)

    def hooks(self, package: str) -> list[HookFact]:
        """The subscriptions and binds of the app's hooks and helpers whose names are their parameters, in
        scan order: each call site of the function fills them in (see the module's docstring)."""
        return self.memo(("hooks", package), self._hooks, package)

    def _hooks(self, package: str) -> list[HookFact]:
        return [hook for facts in self.packages().get(package, ()) for hook in hook_facts(facts)]

    def uses(self, kind: str) -> Iterator[ChannelUse]:
        """Each subscription (``kind`` SUBSCRIBE), bind or trigger of the scanned files, as plain data, in the
        order of :meth:`subscriptions` and :meth:`binds`: each file's own, then those found at call sites."""
        for facts in self.scanned:
            for use in channel_uses(facts):
                if use.kind == kind:
                    yield use
        if kind != TRIGGER:
            if self.call_site_uses is not None:
                yield from (use for use in self.call_site_uses if use.kind == kind)
            else:  # the whole project: its own call-site facts, only those of this kind made into uses
                found = self.call_site_subscriptions if kind == SUBSCRIBE else self.call_site_binds
                yield from (_use(facts, fact, kind) for facts, fact in found)

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
        return self.stays_mounted_at(facts.package, facts.src.rel)

    def stays_mounted_at(self, package: str, rel: str) -> bool:
        """:meth:`stays_mounted` for the file ``rel`` of the app ``package``."""
        staying = self._staying.get(package)
        if staying is None:
            from pusher_doctor.scan.shell import staying_files  # it reads the apps' trees: only when asked

            staying = self._staying[package] = staying_files(self, self.packages()[package])
        return rel in staying

    @property
    def env(self) -> FrontendEnv:
        """The env of the scanned root's own app."""
        return self.envs[ROOT_PACKAGE]

    def env_of(self, facts: FileFacts) -> FrontendEnv:
        """The env of the app ``facts`` belongs to."""
        return self.envs.get(facts.package) or self.env

    def packages(self) -> dict[str, list[FileFacts]]:
        """The scanned files by app, in scan order: what one app does says nothing of another."""
        return self.memo("packages", self._packages)

    def _packages(self) -> dict[str, list[FileFacts]]:
        found: dict[str, list[FileFacts]] = {}
        for facts in self.scanned:
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
        by_rel = self._rels()
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
                found = by_rel.get(candidate)
                if found is not None:
                    return found
        return None

    def _rels(self) -> dict[str, FileFacts]:
        if self._by_rel is None:
            self._by_rel = {facts.src.rel: facts for facts in self.scanned}
        return self._by_rel

    def whole(self, facts: FileFacts) -> FileFacts:
        """The whole facts of a file kept without its tree (:attr:`FileFacts.slim`): read and parsed again,
        once, when a hook is called there (its call site is a fact of that file), or (a summary) when the
        rules check it. A view (:meth:`view`) keeps what it read again only while it lives."""
        if not facts.slim:
            return facts
        found = self._whole.get(facts.src.rel)
        if found is None:
            loaded = load(facts.src.path, facts.src.rel)
            if isinstance(facts, SummaryFacts) and (
                not isinstance(loaded, SourceFile) or text_digest(loaded.text) != facts.digest
            ):  # what the other files were told of it is not what would be checked
                self.changed.setdefault(facts.src.rel, CHANGED_WHILE_SCANNED)
                return facts
            if not isinstance(loaded, SourceFile):  # a file without Pusher code changed on disk since
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
            for facts in self.scanned:
                if facts.slim:
                    if function not in facts.called:
                        continue
                    facts = self.whole(facts)
                sites.extend(_sites_in(facts, function))
            self._call_sites[function] = sites
        if package is None:
            return sites
        return [site for site in sites if site.facts.package == package]


#: why a file with Pusher code kept as a summary was not checked (see :meth:`Project.whole`)
CHANGED_WHILE_SCANNED = "changed or deleted while it was scanned: not checked"

#: what a rule checking one file asks of the others (:attr:`~pusher_doctor.scan.rules.Rule.note`), worked out
#: from each file's whole facts while it is read
Note = Callable[[FileFacts], object]


def build_project(
    root: Path, files: list[FileFacts], envs: dict[str, FrontendEnv], backend: BackendPusherSettings | None,
    file_by_file: bool = False,
) -> Project:
    """The project of the scanned ``files``. With ``file_by_file``, the rules check one file at a time (see
    :meth:`Project.view`): files with Pusher code may be summaries (:func:`summarized`), and the facts found
    at hooks' call sites are kept as plain data, each caller read again one at a time to find them."""
    if not file_by_file:
        project = Project(root, files, envs, backend)
        _expand_call_sites(project)
        return project
    project = Project(root, [], envs, backend, call_site_uses=[], _scanned=files)
    found: list[tuple[tuple[int, int, int], ChannelUse]] = []
    for number, facts in enumerate(files):
        if not project.calls_hooks(facts):
            continue
        view = project.view([facts], expand=False)
        by_hook = _expand_in(view, view.whole(facts), project.hooks(facts.package))
        # in a whole project's order (:func:`_expand_call_sites`): hook by hook, then file by file, then call
        # by call
        for kind, added in ((SUBSCRIBE, view.call_site_subscriptions), (BIND, view.call_site_binds)):
            for place, ((where, fact), hook) in enumerate(zip(added, by_hook[kind], strict=True)):
                found.append(((hook, number, place), _use(where, fact, kind)))
    project.call_site_uses = [use for _, use in sorted(found, key=lambda item: item[0])]
    return project


def summarized(facts: FileFacts, notes: Iterable[Note] = ()) -> FileFacts:
    """A whole file's facts as a :class:`SummaryFacts` (slim facts as they are): what the rules checking other
    files ask of it, with what each of ``notes`` says of it, without its tree."""
    if facts.slim:
        return facts
    notes = tuple(notes)  # the same tuple for every summary when given one
    said = {}
    for note in notes:
        value = note(facts)
        if value is not None:
            said[note] = value
    return SummaryFacts(
        slim_copy(facts), channel_uses(facts), tuple(hook_facts(facts)), bool(facts.clients), said,
        text_digest(facts.src.text), notes,
    )


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
    for use in project.uses(BIND):
        if package not in (None, use.package):
            continue
        if use.event is not None and use.event.literal == contract.ROOM_EVENT:
            return f"{use.rel}:{use.line} binds '{contract.ROOM_EVENT}'"
    for use in project.uses(SUBSCRIBE):
        if package not in (None, use.package) or use.channel is None:
            continue
        verdict = contract.classify_channel(use.channel)
        about_hotel = "hotel" in use.channel.display().lower() and verdict.near is not None
        if verdict.kind in (contract.ROOM, contract.CONVERSATION) or about_hotel:
            return f"{use.rel}:{use.line} subscribes to '{use.channel.display()}'"
    for facts in project.scanned:
        if package not in (None, facts.package):
            continue
        words = [word for word in CONTRACT_PATH_WORDS if word in facts.src.rel.lower()]
        if words and (any(use.kind != TRIGGER for use in channel_uses(facts)) or has_clients(facts)):
            return f"{facts.src.rel} uses Pusher in a {words[0]} view"
    return None


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


def hook_facts(facts: FileFacts) -> list[HookFact]:
    """The file's subscriptions and binds whose names its call sites fill in (see :class:`HookFact`); kept in
    its summary when its tree is let go."""
    if isinstance(facts, SummaryFacts):
        return list(facts.hooks)
    found = []
    for subscription in facts.subscriptions:
        holes = param_holes(subscription.channel)
        if holes:
            found.append(HookFact(_function(holes), facts.package, subscription.channel, tuple(holes)))
    for bind in facts.binds:
        event_holes = param_holes(bind.event)
        channel_holes = param_holes(bind.channel)
        holes = event_holes or channel_holes
        if not holes:
            continue
        if not event_holes and bind.event.literal not in ALL_EVENTS:
            continue  # an unknown literal event is already reported in the hook's own file
        found.append(HookFact(_function(holes), facts.package, bind.channel, tuple(channel_holes), bind.event,
                              tuple(event_holes)))
    return found


def _function(holes: list[Hole]) -> str:
    return holes[0].param.function if holes[0].param else ""


def _sites_in(facts: FileFacts, function: str) -> Iterator[CallSite]:
    """The calls ``function(...)`` of a file (its whole facts)."""
    for node in facts.calls_by_name.get(function, ()):
        yield CallSite(facts, node, arguments(node.child_by_field_name("arguments")))


def _expand_call_sites(project: Project) -> None:
    for facts in project.files:
        for hook in hook_facts(facts):
            for site in project.call_sites(hook.function, facts.package):
                _expand(project, hook, site)


def _expand_in(project: Project, caller: FileFacts, hooks: list[HookFact]) -> dict[str, list[int]]:
    """The facts of ``hooks`` at their call sites in ``caller`` (its whole facts), added to ``project`` (its
    view), hook by hook; by kind (SUBSCRIBE, BIND), the index in ``hooks`` of each fact added."""
    by_hook: dict[str, list[int]] = {SUBSCRIBE: [], BIND: []}
    for index, hook in enumerate(hooks):
        before = len(project.call_site_subscriptions), len(project.call_site_binds)
        for site in _sites_in(caller, hook.function):
            _expand(project, hook, site)
        by_hook[SUBSCRIBE] += [index] * (len(project.call_site_subscriptions) - before[0])
        by_hook[BIND] += [index] * (len(project.call_site_binds) - before[1])
    return by_hook


def _expand(project: Project, hook: HookFact, site: CallSite) -> None:
    """The hook's fact at one of its call sites, with its parameters filled in from the call's arguments."""
    if hook.event is None:
        assert hook.channel is not None
        filled = _fill(hook.channel, list(hook.channel_holes), site)
        if filled is not None:
            channel, argument = filled
            fact = Subscription(argument, argument, channel, None, via=hook.function)
            project.add_call_site_fact(site.facts, fact)
        return
    event: Pattern = hook.event
    event_node: Node | None = None
    channel = hook.channel
    if hook.event_holes:
        filled = _fill(hook.event, list(hook.event_holes), site)
        if filled is None:
            return
        event, event_node = filled
    if hook.channel_holes and channel is not None:
        filled_channel = _fill(channel, list(hook.channel_holes), site)
        if filled_channel is not None:
            channel = filled_channel[0]
            if not hook.event_holes:
                event_node = filled_channel[1]
    if (hook.event_holes or channel != hook.channel) and event_node is not None:
        bind = Bind(event_node, event_node, event, None, None, None, channel, None, via=hook.function)
        project.add_call_site_fact(site.facts, bind)


def channel_uses(facts: FileFacts) -> tuple[ChannelUse, ...]:
    """The file's own subscriptions, binds and triggers as plain data (kept in its summary when its tree is
    let go): its subscriptions first, then its binds, then its triggers' channels."""
    if isinstance(facts, SummaryFacts):
        return facts.uses
    return (
        *(_use(facts, subscription, SUBSCRIBE) for subscription in facts.subscriptions),
        *(_use(facts, bind, BIND) for bind in facts.binds),
        *(
            ChannelUse(facts.src.rel, facts.package, node.start_point[0] + 1, TRIGGER, channel, trigger.event)
            for trigger in facts.triggers
            for node, channel in trigger.channels
        ),
    )


def has_clients(facts: FileFacts) -> bool:
    """Whether the file creates a browser client (kept in its summary when its tree is let go)."""
    return facts.with_clients if isinstance(facts, SummaryFacts) else bool(facts.clients)


def _use(facts: FileFacts, fact: Subscription | Bind, kind: str) -> ChannelUse:
    line = fact.node.start_point[0] + 1
    if isinstance(fact, Subscription):
        return ChannelUse(facts.src.rel, facts.package, line, kind, fact.channel, None, fact.via)
    return ChannelUse(facts.src.rel, facts.package, line, kind, fact.channel, fact.event, fact.via)

