"""``effect-missing-deps``: an effect subscribes to a channel built from props or state that its
dependency array leaves out, so it stays on the first channel when they change.

``useEffect(() => { pusher.subscribe(`chat-${roomId}`) ... }, [])``: React runs the effect once; when
the user opens another room the component keeps listening on the first room's channel (and, with a
cleanup, never subscribes to the new one). Only names the channel is built from are compared; what
the handler reads is ``stale-state``'s to judge.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import missing_channel_deps
from pusher_doctor.scan.tree import text, unwrap


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for effect in facts.effects:
            missing = missing_channel_deps(facts, effect)
            if not missing or effect.deps is None:
                continue
            channels = ", ".join(sorted({f"'{s.channel.display()}'" for s in effect.subscriptions}))
            deps = " ".join(text(unwrap(effect.deps)).split())
            names = ", ".join(missing)
            yield hit_at(
                facts,
                effect.deps,
                f"{text(effect.callee)} subscribes to {channels} but its dependencies {deps} leave out {names}: when "
                f"{names} change(s) the component stays on the first channel, and the new one's messages never "
                "arrive",
                f"add {names} to the dependency array (and unsubscribe the old channel in the cleanup)",
            )


RULE = Rule(
    id="effect-missing-deps",
    checklist_item="lifecycle",
    title="An effect subscribes to a channel built from values its dependencies leave out",
    finds="A React effect (in a component or custom hook) with a dependency array that subscribes to a channel "
    "whose name is built from a value that changes while the component stays mounted (its state, the route's "
    "parameters: `useParams()`, `useRouter().query`, Next.js's `params` prop, a store selector) that the array "
    "does not list. Plain props are not judged (whether the parent passes another value cannot be told), nor "
    "module-level constants and values made inside the effect; a dependency array with a spread is not judged.",
    why="React runs the effect again only when a listed dependency changes: after the user opens another "
    "room, the page still listens on the first room's channel and the new room's messages only show after "
    "a refresh.",
    fix="List every value the channel name is built from in the dependency array, and unsubscribe the old "
    "channel in the cleanup.",
    wrong="const { roomId } = useParams();\nuseEffect(() => {\n  const channel = pusher.subscribe(`chat-${roomId}`);\n  channel.bind('message', add);\n"
    "  return () => pusher.unsubscribe(`chat-${roomId}`);\n}, []);",
    right="const { roomId } = useParams();\nuseEffect(() => {\n  const channel = pusher.subscribe(`chat-${roomId}`);\n  channel.bind('message', add);\n"
    "  return () => pusher.unsubscribe(`chat-${roomId}`);\n}, [roomId]);",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
