"""Step 5b: private, presence and encrypted channels: get the guest connection's signature from the app's
auth endpoint as pusher-js would (or make it with the secret), and check it before the server does."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.config.secret import Secret
from pusher_doctor.hotel_chat import CHANNEL_PREFIXES, PRESENCE_PREFIX, is_encrypted, needs_auth
from pusher_doctor.protocol.auth import (
    OTHER_SOCKET_ID,
    AuthEndpoint,
    ChannelAuth,
    ask_endpoint,
    check_signature,
    master_key_problem,
    mismatch_reason,
    presence_data_problem,
    shared_secret,
    sign_locally,
)
from pusher_doctor.protocol.guest import GuestConnection
from pusher_doctor.results import Outcome, Problem, failed, passed, problem, skipped


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
            return failed(answer, *lines, channel=channel)
        ctx.channel_auth[channel] = answer
        lines.append(f"{channel}: " + (f"signed by the auth endpoint in {answer.elapsed_ms:.0f} ms"
                                       if answer.signed_by == "endpoint" else "signed with PUSHER_SECRET"))
    if endpoint is None:
        return passed(f"signed {len(private)} channel(s) with PUSHER_SECRET; the app's real auth endpoint was NOT "
                      "tested (give it with --auth-endpoint URL)", *lines, signed_by="secret")
    checked = ("signature(s) match PUSHER_SECRET" if ctx.loaded.secret is not None
               else "signature(s) not checked here (no PUSHER_SECRET): the server checks them at subscribe")
    return passed(f"auth endpoint signed {len(private)} channel(s); {checked}", *lines, f"endpoint: {endpoint.url}",
                  signed_by="endpoint")


def authorize(ctx: CheckContext, guest: GuestConnection, channel: str) -> ChannelAuth | Problem:
    """What `guest` subscribes to `channel` with: the auth endpoint's answer, checked against the settings,
    or without an endpoint a signature made with the secret."""
    socket_id = guest.socket_id
    assert socket_id is not None
    key = str(ctx.loaded.value("key"))
    secret = ctx.loaded.secret
    master_value = ctx.loaded.value("encryption_master_key")
    master_key = Secret(master_value) if master_value is not None else None
    endpoint = ctx.request.auth_endpoint
    if endpoint is None:
        assert secret is not None
        return sign_locally(key, secret, socket_id, channel, master_key, f"pusher-doctor-{socket_id}")
    answer = ask_endpoint(endpoint, socket_id, channel, ctx.deadline.remaining)
    if isinstance(answer, Problem):
        return answer
    if channel.startswith(PRESENCE_PREFIX) and (missing := presence_data_problem(channel, answer.channel_data)):
        return missing
    if secret is not None and not check_signature(answer, key, secret, socket_id):
        return _mismatch(ctx, endpoint, answer, key, secret, socket_id)
    if is_encrypted(channel):
        return _check_shared_secret(answer, master_key)
    return answer


def _mismatch(ctx: CheckContext, endpoint: AuthEndpoint, answer: ChannelAuth, key: str, secret: Secret,
              socket_id: str) -> Problem:
    assert ctx.plan is not None
    # One more question tells "another socket" from "another secret": a signature made for the socket that
    # asks changes with the socket id.
    again = ask_endpoint(endpoint, OTHER_SOCKET_ID, answer.channel, ctx.deadline.remaining)
    same = again.auth == answer.auth if isinstance(again, ChannelAuth) else None
    reason = mismatch_reason(answer, key, secret, socket_id, _nearby(answer.channel, ctx.plan.channels), same)
    return problem("auth-signature-mismatch", f"the auth endpoint's signature for {answer.channel} would be "
                   f"refused: {reason}")


def _nearby(channel: str, planned: tuple[str, ...]) -> list[str]:
    """Names an endpoint may sign instead of `channel`: the same name with another prefix or none, and the
    page's other channels."""
    bare = channel
    for prefix in sorted(CHANNEL_PREFIXES, key=len, reverse=True):
        if channel.startswith(prefix):
            bare = channel.removeprefix(prefix)
            break
    names = [bare, *(prefix + bare for prefix in CHANNEL_PREFIXES), *planned]
    return list(dict.fromkeys(name for name in names if name != channel))


def _check_shared_secret(answer: ChannelAuth, master_key: Secret | None) -> ChannelAuth | Problem:
    if answer.shared_secret is None:
        return problem("auth-response-invalid", f"the auth endpoint's answer for {answer.channel} has no "
                       "shared_secret: an encrypted channel's page cannot decrypt without it",
                       "give the endpoint's pusher library the app's encryption master key "
                       "(encryption_master_key_base64); its authenticate() then adds shared_secret")
    if master_key is None:
        return answer  # the backend's key is not known here: the trigger step says so
    if (why := master_key_problem(master_key)) is not None:
        return problem("encryption-key-mismatch", why)
    if answer.shared_secret != shared_secret(answer.channel, master_key):
        return problem("encryption-key-mismatch", f"the auth endpoint derives another key for {answer.channel} than "
                       "PUSHER_ENCRYPTION_MASTER_KEY_BASE64 does: the page could not decrypt the backend's events")
    return answer
