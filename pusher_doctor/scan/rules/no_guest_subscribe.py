"""``no-guest-subscribe``: a Pusher client exists but no scanned code subscribes to the room channel.

An app-wide rule: one subscription anywhere in the app that could be the room channel (including names
that cannot be resolved) is enough to stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan import contract
from pusher_doctor.scan.channel_index import SUBSCRIBE
from pusher_doctor.scan.model import Scope, Severity
from pusher_doctor.scan.project import Project, has_clients
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if not facts.clients:
            continue
        channels, guest_clients = project.memo((__name__, facts.package), _app, project, facts.package)
        if channels is None:
            continue  # something may subscribe to the room channel
        if facts.staff and guest_clients:
            continue  # the app's guest side has clients of its own: those are reported
        named = ", ".join(repr(c) for c in sorted(set(channels)))
        seen = f" (it only subscribes to {named})" if channels else ""
        for client in facts.clients:
            yield hit_at(
                facts,
                client.node,
                f"a Pusher client is created here but no scanned code subscribes to the guest's room channel "
                f"{contract.ROOM_SHAPE}{seen}",
                "in the guest chat view, subscribe to `${hotelSlug}-room-${roomNumber}-chat` and bind "
                "'new-staff-message'",
            )


def _app(project: Project, package: str) -> tuple[list[str] | None, bool]:
    """The channels the app ``package`` subscribes to (None when one of them could be the room channel), and
    whether a file outside the staff views creates a client."""
    channels = []
    for use in project.uses(SUBSCRIBE):
        if use.package != package or use.channel is None:
            continue
        if contract.classify_channel(use.channel).could_be_room:
            return None, False
        channels.append(use.channel.display())
    guest_clients = any(has_clients(facts) and not facts.staff for facts in project.packages()[package])
    return channels, guest_clients


RULE = Rule(
    id="no-guest-subscribe",
    checklist_item="subscribed",
    title="A Pusher client exists but nothing subscribes to the guest's room channel",
    finds="Code that creates a Pusher client (`new Pusher(...)`) while no scanned code subscribes to a "
    "channel that can be `{hotel_slug}-room-{room_number}-chat`. Reported at each `new Pusher` site "
    "outside staff views. Subscriptions whose name cannot be resolved count as possibly the room channel.",
    why="The backend sends staff messages only to the room channel; a page that never subscribes to it "
    "only sees them when it reloads the history.",
    fix="Subscribe to the room channel in the guest chat view and bind `new-staff-message`.",
    wrong="const pusher = new Pusher(KEY, { cluster: 'eu' });\n"
    "// ...the guest page never calls pusher.subscribe(...)",
    right="const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);\n"
    "channel.bind('new-staff-message', onMessage);",
    check=check,
    severity=Severity.WARNING,
    scope=Scope.HOTEL_CONTRACT,
    per_file=True,
)
