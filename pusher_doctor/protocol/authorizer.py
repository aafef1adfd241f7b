"""What a guest connection subscribes to a private, presence or encrypted channel with, got the way the
page gets it: from the app's auth endpoint, checked against the settings before the server sees it, or,
without an endpoint, signed with the app's secret. `check` and `watch` both subscribe through this."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pusher_doctor.config.secret import Secret
from pusher_doctor.hotel_chat import CHANNEL_PREFIXES, PRESENCE_PREFIX, is_encrypted, split_prefix
from pusher_doctor.protocol.auth import OTHER_SOCKET_ID, AuthEndpoint, ask_endpoint, ask_user_endpoint
from pusher_doctor.protocol.signing import (
    ChannelAuth,
    UserAuth,
    check_signature,
    master_key_problem,
    mismatch_reason,
    presence_data_problem,
    shared_secret,
    sign_locally,
    sign_user,
)
from pusher_doctor.results import Problem, problem


@dataclass(frozen=True)
class ChannelAuthorizer:
    """The app key and what can sign or check a signature: the app's auth endpoint, the secret, or both."""

    key: str
    secret: Secret | None
    endpoint: AuthEndpoint | None
    #: the backend's encryption master key, for private-encrypted- channels
    master_key: Secret | None = None
    #: the app's user-authentication endpoint (pusher-js `userAuthentication`), for signin()
    user_endpoint: AuthEndpoint | None = None

    @property
    def can_sign(self) -> bool:
        return self.endpoint is not None or self.secret is not None

    def authorize(self, socket_id: str, channel: str, timeout: Callable[[], float],
                  other_channels: Sequence[str] = ()) -> ChannelAuth | Problem:
        """The endpoint's answer for `socket_id` on `channel`, checked against the settings, or without an
        endpoint a signature made with the secret. `timeout` gives the seconds left each time it is called;
        `other_channels` are the page's other channels, which a wrong signature may have been made for."""
        if self.endpoint is None:
            assert self.secret is not None, "an authorizer without an endpoint signs with the secret"
            return sign_locally(self.key, self.secret, socket_id, channel, self.master_key,
                                f"pusher-doctor-{socket_id}")
        answer = ask_endpoint(self.endpoint, socket_id, channel, timeout)
        if isinstance(answer, Problem):
            return answer
        if channel.startswith(PRESENCE_PREFIX) and (missing := presence_data_problem(channel, answer.channel_data)):
            return missing
        if self.secret is not None and not check_signature(answer, self.key, self.secret, socket_id):
            return self._mismatch(self.endpoint, self.secret, answer, socket_id, timeout, other_channels)
        if is_encrypted(channel):
            return _check_shared_secret(answer, self.master_key)
        return answer

    def sign_in(self, socket_id: str, timeout: Callable[[], float]) -> UserAuth | Problem:
        """The user-auth endpoint's answer for `socket_id`, checked against the secret when it is known."""
        assert self.user_endpoint is not None, "sign_in needs the user-auth endpoint"
        answer = ask_user_endpoint(self.user_endpoint, socket_id, timeout)
        if isinstance(answer, Problem) or self.secret is None:
            return answer
        if hmac.compare_digest(answer.auth.encode(), sign_user(self.key, self.secret, socket_id,
                                                               answer.user_data).encode()):
            return answer
        given_key = answer.auth.partition(":")[0]
        if given_key != self.key:
            reason = "it is signed for another app key (the endpoint uses another app's key and secret)"
        else:
            again = ask_user_endpoint(self.user_endpoint, OTHER_SOCKET_ID, timeout)
            reason = ("it is signed for another socket: the endpoint gave the same signature for another socket_id"
                      if isinstance(again, UserAuth) and again.auth == answer.auth
                      else "it is signed with another secret than PUSHER_SECRET")
        return problem("auth-signature-mismatch", f"the user-auth endpoint's sign-in would be refused: {reason}")

    def _mismatch(self, endpoint: AuthEndpoint, secret: Secret, answer: ChannelAuth, socket_id: str,
                  timeout: Callable[[], float], other_channels: Sequence[str]) -> Problem:
        # One more question tells "another socket" from "another secret": a signature made for the socket
        # that asks changes with the socket id.
        again = ask_endpoint(endpoint, OTHER_SOCKET_ID, answer.channel, timeout)
        same = again.auth == answer.auth if isinstance(again, ChannelAuth) else None
        reason = mismatch_reason(answer, self.key, secret, socket_id, _nearby(answer.channel, other_channels), same)
        return problem("auth-signature-mismatch", f"the auth endpoint's signature for {answer.channel} would be "
                       f"refused: {reason}")


def _nearby(channel: str, other_channels: Sequence[str]) -> list[str]:
    """Names an endpoint may sign instead of `channel`: the same name with another prefix or none, and the
    page's other channels."""
    _, bare = split_prefix(channel)
    names = [bare, *(prefix + bare for prefix in CHANNEL_PREFIXES), *other_channels]
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
