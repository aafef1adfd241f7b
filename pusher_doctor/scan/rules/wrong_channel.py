"""``wrong-channel``: a subscription whose resolved name can never equal the backend's channel.

Only names with literal text are judged (see :func:`pusher_doctor.scan.contract.classify_channel`);
a name made only of unresolved parts is never reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan import contract
from pusher_doctor.scan.model import Scope, Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, via


def check(project: Project) -> Iterator[Hit]:
    for facts, subscription in project.subscriptions():
        verdict = contract.classify_channel(subscription.channel)
        name = subscription.channel.display()
        where = via(subscription.via)
        guest_conversation = not facts.staff and contract.CONVERSATION in (verdict.kind, verdict.near)
        if guest_conversation:
            yield hit_at(
                facts,
                subscription.arg,
                f"guest view subscribes to the conversation channel '{name}'{where}; the backend sends staff "
                f"messages for the guest on {contract.ROOM_SHAPE}",
                "subscribe to `${hotelSlug}-room-${roomNumber}-chat` in guest views; the conversation "
                "channel is for staff views",
            )
        elif verdict.problems:
            shape = contract.SHAPES[verdict.near or contract.ROOM]
            yield hit_at(
                facts,
                subscription.arg,
                f"channel '{name}'{where} can never equal the backend's {shape}: "
                f"{'; '.join(verdict.problems)}",
                f"build the name exactly as the backend does: {_template_for(verdict.near or contract.ROOM)}",
            )


def _template_for(kind: str) -> str:
    if kind == contract.CONVERSATION:
        return "`${hotelSlug}-conversation-${conversationId}-chat`"
    return "`${hotelSlug}-room-${roomNumber}-chat`"


RULE = Rule(
    id="wrong-channel",
    checklist_item="channel-name",
    title="Channel name can never equal the backend's",
    finds="A subscription whose resolved name cannot equal the backend's channel: `-rooms-` for `-room-`, "
    "`_room_` separators, a missing `-chat` suffix, a `private-`/`presence-` prefix the backend does not "
    "use, different letter case, or hotel slug and room number swapped; and a guest view (any file whose "
    "path does not mark it as staff-side) subscribing to the conversation channel. A name that misses the "
    "shape is judged only when it was meant to be the backend's: it speaks of the hotel (`hotelSlug`) or ends "
    "in `-chat`; another feature's `rooms.{id}` is not reported.",
    why="Pusher delivers an event only to subscribers of exactly the channel it was triggered on; a name "
    "that differs by one character subscribes successfully and then receives nothing.",
    fix="Build the name exactly like the backend: `${hotelSlug}-room-${roomNumber}-chat`.",
    wrong="pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);",
    right="pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);",
    check=check,
    severity=Severity.ERROR,
    scope=Scope.HOTEL_CONTRACT,
    per_file=True,
)
