"""Step 6: subscribe the guest connection to the room channel (and the conversation channel)."""

from __future__ import annotations

from msgspec.structs import replace

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.protocol.guest import Subscribed
from pusher_doctor.results import Outcome, failed, passed


def check_subscribe(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.plan is not None
    acknowledged = []
    members: dict[str, object] = {}
    for channel in ctx.plan.channels:
        # Private channels go out with what channel-auth got for them (the auth endpoint's answer).
        auth = ctx.channel_auth.get(channel)
        answer = ctx.guest.subscribe(channel, ctx.deadline.remaining(), auth)
        if not isinstance(answer, Subscribed):
            if auth is not None and answer.cause == "subscription-refused":
                from pusher_doctor.protocol.signing import refused_signature_hint

                answer = replace(answer, hint=refused_signature_hint(auth.signed_by))
            return failed(answer, *acknowledged)
        acknowledged.append(f"{channel}: acknowledged in {answer.elapsed_ms:.0f} ms")
        if answer.data is None:  # a public or private channel's acknowledgement: no members
            continue
        # Signing's module is loaded only by runs on channels that need it (~3 ms of a start otherwise).
        from pusher_doctor.protocol.signing import presence_members

        if (present := presence_members(answer.data)) is not None:
            members[channel] = present
            acknowledged.append(f"{channel}: {present['count']} member(s) present: "
                                + ", ".join(map(str, present["ids"][:10])))
    return passed(f"subscribed to {len(ctx.plan.channels)} channel(s)", *acknowledged,
                  **({"presence": members} if members else {}))
