"""``shared-channel-unsubscribed``: a component that goes away unsubscribes a channel that a component
staying on screen (a layout, the app shell) still listens on.

pusher-js keeps one subscription per channel name for the whole page, and Echo one channel per name:
``pusher.unsubscribe(name)`` or ``Echo.leave(name)`` ends it for every component, not only for the one
calling it. The common Next.js chat tutorial does this: the friend-requests page unsubscribes the
user's channel when it unmounts, and the sidebar badge in the layout stops updating. Which component
stays mounted comes from :mod:`pusher_doctor.scan.shell`; who listens on which channel from the app's
channel index.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan.channel_index import left_channels
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.tree import text


def check(project: Project) -> Iterator[Hit]:
    #: (app, channel name) -> the files that stay mounted and listen on it, found once per name
    staying_on: dict[tuple[str, str], list[str]] = {}
    for facts in project.files:
        if project.stays_mounted(facts):
            continue  # its cleanup never runs while the app does
        for teardown in facts.teardowns:
            if teardown.method != "unsubscribe" or teardown.context != "cleanup":
                continue
            for name in left_channels(teardown):
                found = staying_on.get((facts.package, name))
                if found is None:
                    found = staying_on[(facts.package, name)] = _staying_listeners(project, facts.package, name)
                staying = [rel for rel in found if rel != facts.src.rel]
                if staying:
                    call = text(teardown.node.child_by_field_name("function") or teardown.node)
                    yield hit_at(
                        facts,
                        teardown.node,
                        f"{call}(...) ends the subscription to '{name}' for the whole page, but {staying[0]}, "
                        "which stays mounted, still listens on it: after this component unmounts it receives "
                        "nothing until the page reloads",
                        "in this component unbind only its own handler (channel.unbind(event, handler)) and "
                        "leave the subscription to the component that stays",
                    )
                    break


def _staying_listeners(project: Project, package: str, name: str) -> list[str]:
    listeners = project.channel_index(package).listeners(name)
    return sorted({use.rel for use in listeners if project.stays_mounted_at(use.package, use.rel)})


RULE = Rule(
    id="shared-channel-unsubscribed",
    checklist_item="lifecycle",
    title="A component unsubscribes a channel that a component staying on screen listens on",
    finds="`pusher.unsubscribe(name)`, Echo `leave(name)` or `leaveChannel(name)` in the unmount code of a "
    "component that does unmount, while a component that stays mounted for the whole app (the app shell, a "
    "layout, a component the root renders unconditionally) subscribes to or binds on the same channel name.",
    why="pusher-js and Echo keep one subscription per channel name for the page: unsubscribing it when a "
    "page unmounts silences the layout's listener too (the friend-request badge stops updating after "
    "leaving the requests page), until a reload.",
    fix="Unbind only this component's handler and leave the channel subscribed; the component that stays "
    "owns the subscription.",
    wrong="// app/layout.tsx renders <RequestBadge />, which binds 'incoming_request' on `user-${id}`\n"
    "useEffect(() => {\n  const channel = pusher.subscribe(`user-${id}`);\n"
    "  channel.bind('incoming_request', add);\n  return () => pusher.unsubscribe(`user-${id}`);\n}, [id]);",
    right="useEffect(() => {\n  const channel = pusher.subscribe(`user-${id}`);\n"
    "  channel.bind('incoming_request', add);\n  return () => channel.unbind('incoming_request', add);\n}, [id]);",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
