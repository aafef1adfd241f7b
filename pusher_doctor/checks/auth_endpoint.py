"""Step 5b: private, presence and encrypted channels: get the guest connection's signature from the app's
auth endpoint as pusher-js would (or make it with the secret), and check it before the server does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.config.secret import Secret
from pusher_doctor.hotel_chat import needs_auth
from pusher_doctor.results import Outcome, Problem, failed, passed, skipped

if TYPE_CHECKING:  # signing and the auth endpoint's exchange load only for channels that need a signature
    from pusher_doctor.protocol.authorizer import ChannelAuthorizer
    from pusher_doctor.protocol.guest import GuestConnection
    from pusher_doctor.protocol.signing import ChannelAuth

#: the endpoint's refusals whose answer lies in the backend's auth route or channel callbacks
REFUSALS = ("auth-unauthenticated", "auth-channel-refused", "broadcast-auth-guard", "auth-csrf",
            "broadcast-routes-missing", "auth-redirect")


def check_channel_auth(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.plan is not None
    private = [channel for channel in ctx.plan.channels if needs_auth(channel)]
    if not private:
        return passed("public channels: no signature needed (see Privacy)")
    endpoint = ctx.request.auth_endpoint
    if endpoint is None and ctx.loaded.secret is None:
        return skipped("not run: private channels need --auth-endpoint URL (the app's) or PUSHER_SECRET to sign")
    lines = []
    for channel in private:
        answer = authorize(ctx, ctx.guest, channel)
        if isinstance(answer, Problem):
            notes = ctx.request.backend_notes if answer.cause in REFUSALS else ()
            return failed(answer, *lines, *notes, channel=channel)
        ctx.channel_auth[channel] = answer
        lines.append(f"{channel}: " + (f"signed by the auth endpoint in {answer.elapsed_ms:.0f} ms"
                                       if answer.signed_by == "endpoint" else "signed with PUSHER_SECRET"))
    if endpoint is None:
        return passed(f"signed {len(private)} channel(s) with PUSHER_SECRET; the app's real auth endpoint was NOT "
                      "tested (give it with --auth-endpoint URL)", *lines, signed_by="secret")
    checked = ("signature(s) match PUSHER_SECRET" if ctx.loaded.secret is not None
               else "signature(s) not checked here (no PUSHER_SECRET): the server checks them at subscribe")
    return passed(f"auth endpoint signed {len(private)} channel(s); {checked}", *lines, f"endpoint: {endpoint.shown_url}",
                  signed_by="endpoint")


def context_authorizer(ctx: CheckContext) -> ChannelAuthorizer:
    """What signs for the run: the app's auth endpoints from the request, the secret and master key from
    the settings."""
    from pusher_doctor.protocol.authorizer import ChannelAuthorizer

    master_value = ctx.loaded.value("encryption_master_key")
    return ChannelAuthorizer(str(ctx.loaded.value("key")), ctx.loaded.secret, ctx.request.auth_endpoint,
                             Secret(master_value) if master_value is not None else None,
                             ctx.request.user_auth_endpoint)


def authorize(ctx: CheckContext, guest: GuestConnection, channel: str) -> ChannelAuth | Problem:
    """What `guest` subscribes to `channel` with: the auth endpoint's answer, checked against the settings,
    or without an endpoint a signature made with the secret."""
    assert guest.socket_id is not None and ctx.plan is not None
    return context_authorizer(ctx).authorize(guest.socket_id, channel, ctx.deadline.remaining, ctx.plan.channels)
