"""After subscribing: can anyone read the guest's channel? A public channel is readable by anyone who can
guess its name (pusher-doctor itself just subscribed with the key alone), so it is a finding even when
every message arrives."""

from __future__ import annotations

from msgspec.structs import replace

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import ENCRYPTED_PREFIX, PRESENCE_PREFIX, PRIVATE_PREFIX, needs_auth
from pusher_doctor.results import Outcome, Remediation, passed, problem, warned


def check_channel_privacy(ctx: CheckContext) -> Outcome:
    assert ctx.plan is not None
    room = ctx.plan.room
    public = [channel for channel in ctx.plan.channels if not needs_auth(channel)]
    if room in public:
        private = PRIVATE_PREFIX + room
        migration = (
            (f"backend: trigger on {private} and add an auth endpoint that signs only for the guest of that room "
             "(the pusher library's authenticate(channel_name, socket_id))"),
            (f"frontend: subscribe to {private}; pusher-js asks the auth endpoint itself "
             "(channelAuthorization: {endpoint: 'https://api.example.com/pusher/auth'})"),
            f"then check it: pusher-doctor check ... --channel-prefix {PRIVATE_PREFIX} --auth-endpoint URL",
        )
        fix = Remediation(f"move to {private}: " + "; ".join(migration[:2]))
        # Said on every run of a public setup: one line unless -v (the steps are in the details).
        readable = problem("public-guest-channel", f"{room} is public: anyone who knows its name can read it", fix)
        others = tuple(f"also public: {channel}" for channel in public if channel != room)
        return replace(warned(readable, "pusher-doctor just read it with the app key alone, no credentials",
                              *migration[2:], *others, public_channels=public), brief=True)
    kind = ("end-to-end encrypted" if room.startswith(ENCRYPTED_PREFIX)
            else "a presence channel" if room.startswith(PRESENCE_PREFIX) else "private")
    others = tuple(f"public: {channel} (anyone who knows its name can read it)" for channel in public)
    return passed(f"{room} is {kind}: the server asks the app's signature before anyone reads it", *others,
                  public_channels=public)
