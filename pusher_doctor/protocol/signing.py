"""Signatures of private, presence and encrypted channels and of a user sign-in, made and checked the way
the server makes and checks them, and the answers' data (presence members, an encrypted event's text).

The server recomputes `key:HMAC-SHA256(secret, socket_id:channel[:channel_data])` and refuses a different
signature with a terse error; `mismatch_reason` tells which part differs. On `private-encrypted-` channels
the key of each channel is SHA-256 of its name and the app's encryption master key: the backend's `pusher`
library encrypts each event with it (NaCl secretbox) and the page decrypts; the server only relays
ciphertext. Pure: nothing here talks to a server (the auth endpoint's exchange is `auth.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pusher_doctor.config.secret import Secret
from pusher_doctor.hotel_chat import ENCRYPTED_PREFIX, PRESENCE_PREFIX
from pusher_doctor.protocol.wire import load_json
from pusher_doctor.results import Problem, Remediation, problem


@dataclass(frozen=True)
class ChannelAuth:
    """What a guest subscribes with, and who made it."""

    channel: str
    auth: str
    #: presence channels: the JSON the signature covers ({"user_id": ..., "user_info": ...})
    channel_data: str | None = None
    #: private-encrypted channels: the base64 key the page decrypts events with (never shown)
    shared_secret: str | None = None
    #: "endpoint" (the app's auth endpoint answered) or "secret" (pusher-doctor signed with PUSHER_SECRET)
    signed_by: str = "endpoint"
    elapsed_ms: float = 0.0

    def __repr__(self) -> str:
        # The shared secret decrypts the channel: keep it out of tracebacks and logs.
        return f"ChannelAuth({self.channel!r}, signed_by={self.signed_by!r})"


@dataclass(frozen=True)
class UserAuth:
    """What a guest signs in with (pusher-js `signin()`): the user-auth endpoint's answer."""

    auth: str
    #: the JSON of the user ({"id": ..., ...}) the signature covers
    user_data: str
    elapsed_ms: float = 0.0

    @property
    def user_id(self) -> str:
        return str(load_json(self.user_data).get("id"))


# --- signing and checking ------------------------------------------------------------------------------

def _signed(key: str, secret: Secret, subject: str) -> str:
    """`key:HMAC-SHA256(secret, subject)`, the form of every signature the server checks."""
    return f"{key}:{hmac.new(secret.reveal().encode(), subject.encode(), hashlib.sha256).hexdigest()}"


def sign(key: str, secret: Secret, socket_id: str, channel: str, channel_data: str | None = None) -> str:
    """`key:signature` as the server expects it for this socket and channel."""
    return _signed(key, secret, f"{socket_id}:{channel}" + (f":{channel_data}" if channel_data is not None else ""))


def master_key_problem(master_key: Secret) -> str | None:
    """Why this is not an encryption master key (base64 of 32 bytes), or None."""
    try:
        raw = base64.b64decode(master_key.reveal(), validate=True)
    except (binascii.Error, ValueError):
        return "PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not valid base64"
    if len(raw) != 32:
        return f"PUSHER_ENCRYPTION_MASTER_KEY_BASE64 decodes to {len(raw)} bytes; it must be 32"
    return None


def shared_secret(channel: str, master_key: Secret) -> str:
    """The base64 key of one encrypted channel, as the `pusher` library derives it."""
    raw = base64.b64decode(master_key.reveal())
    return base64.b64encode(hashlib.sha256(channel.encode() + raw).digest()).decode()


def guest_channel_data(user_id: str) -> str:
    """The presence member pusher-doctor joins as when it signs itself."""
    return json.dumps({"user_id": user_id, "user_info": {"name": "pusher-doctor"}}, separators=(",", ":"))


def sign_locally(key: str, secret: Secret, socket_id: str, channel: str, master_key: Secret | None,
                 user_id: str) -> ChannelAuth | Problem:
    """The answer a correct auth endpoint would give, made with the app's own secret."""
    channel_data = guest_channel_data(user_id) if channel.startswith(PRESENCE_PREFIX) else None
    shared = None
    if channel.startswith(ENCRYPTED_PREFIX):
        if master_key is None:
            return problem("encryption-key-mismatch", f"{channel} is encrypted and no master key is set")
        if (why := master_key_problem(master_key)) is not None:
            return problem("encryption-key-mismatch", why)
        shared = shared_secret(channel, master_key)
    return ChannelAuth(channel, sign(key, secret, socket_id, channel, channel_data), channel_data, shared,
                       signed_by="secret")


def check_signature(given: ChannelAuth, key: str, secret: Secret, socket_id: str) -> bool:
    expected = sign(key, secret, socket_id, given.channel, given.channel_data)
    return hmac.compare_digest(given.auth.encode(), expected.encode())


def mismatch_reason(given: ChannelAuth, key: str, secret: Secret, socket_id: str,
                    nearby_channels: Sequence[str], same_for_another_socket: bool | None) -> str:
    """Why the endpoint's signature is not the one the server expects, as precisely as can be told.

    `nearby_channels` are names the endpoint may have signed instead (the name without its prefix, the
    other channels of the page); `same_for_another_socket` says whether the endpoint gave the same
    signature when asked for another socket id (None when not asked)."""
    app_key, _, signature = given.auth.partition(":")
    if not signature:
        return "the auth value is not of the form key:signature"
    if app_key != key:
        return "it is signed for another app key (the endpoint uses another app's key and secret)"
    for other in nearby_channels:
        for data in (given.channel_data, None):
            if hmac.compare_digest(sign(key, secret, socket_id, other, data).encode(), given.auth.encode()):
                return f"it is signed for another channel, {other}"
    if given.channel_data is not None and check_signature(
            ChannelAuth(given.channel, given.auth, None), key, secret, socket_id):
        return "the signature leaves out channel_data: presence signatures cover socket_id:channel:channel_data"
    if same_for_another_socket:
        return ("it is signed for another socket: the endpoint gave the same signature for another socket_id "
                "(a cached answer, or a socket id taken from somewhere else than the request)")
    return "it is signed with another secret than PUSHER_SECRET (the endpoint's app settings differ from the backend's)"


def presence_data_problem(channel: str, channel_data: Any) -> Problem | None:
    """What is wrong with a presence answer's channel_data, or None."""
    if channel_data is None:
        return problem("presence-data-missing", f"the auth answer for {channel} has no channel_data")
    if not isinstance(channel_data, str):
        return problem("presence-data-missing", f"the auth answer's channel_data for {channel} is not a JSON string",
                       "return channel_data as a string of JSON ({\"user_id\": ...}), as the pusher libraries' "
                       "authenticate does")
    try:
        member = load_json(channel_data)
    except ValueError:
        return problem("presence-data-missing", f"the auth answer's channel_data for {channel} is not JSON")
    user_id = member.get("user_id") if isinstance(member, dict) else None
    if user_id is None or user_id == "":
        return problem("presence-data-missing", f"the auth answer's channel_data for {channel} has no user_id")
    return None


def presence_members(data: Any) -> dict[str, Any] | None:
    """{"count", "ids"} from a presence channel's subscription_succeeded data, or None for other channels."""
    try:
        presence = (load_json(data) if isinstance(data, str) else data or {}).get("presence")
    except (ValueError, AttributeError):
        return None
    if not isinstance(presence, dict):
        return None
    ids = presence.get("ids") if isinstance(presence.get("ids"), list) else []
    count = presence.get("count")
    return {"count": count if isinstance(count, int) and not isinstance(count, bool) else len(ids),
            "ids": [str(member) for member in ids]}


#: the fix of a refused private or presence channel, as the guest connection gives it (the cause's own fix is a
#: public channel's); a check that knows who signed gives `refused_signature_hint`'s instead
SIGNED_REFUSAL = ("a private or presence channel needs a valid auth signature: check that PUSHER_SECRET (or the auth "
                  "endpoint) signs for this app and key, and the server's channel rules")


def refused_signature_hint(signed_by: str) -> Remediation:
    """The fix when the server refuses a signature pusher-doctor already checked (or could not check)."""
    if signed_by == "secret":
        return Remediation("the server refused a signature made with PUSHER_SECRET: the server's app has another "
                           "secret than the backend's settings; copy PUSHER_SECRET from the server's app config")
    return Remediation("the server refused the auth endpoint's signature: make the endpoint sign with the key and "
                       "secret of the app the page connects to (give PUSHER_SECRET here to have it compared)")


# --- user sign-in (pusher-js signin) ---------------------------------------------------------------------

def sign_user(key: str, secret: Secret, socket_id: str, user_data: str) -> str:
    """`key:signature` of a sign-in, as the server expects it: HMAC-SHA256 of socket_id::user::user_data."""
    return _signed(key, secret, f"{socket_id}::user::{user_data}")


def user_data_problem(user_data: Any) -> Problem | None:
    """What is wrong with a sign-in answer's user_data, or None: a JSON string of an object with an id."""
    if not isinstance(user_data, str):
        return problem("user-data-missing", "the user-auth endpoint's answer has no user_data string"
                       if user_data is None else "the user-auth endpoint's user_data is not a JSON string")
    try:
        user = load_json(user_data)
    except ValueError:
        return problem("user-data-missing", "the user-auth endpoint's user_data is not JSON")
    if not isinstance(user, dict) or user.get("id") in (None, ""):
        return problem("user-data-missing", "the user-auth endpoint's user_data has no id")
    return None


# --- encrypted events -----------------------------------------------------------------------------------

def decrypt_event(shared: str, data: Any) -> str | None:
    """The plaintext of an encrypted channel's event data ({"nonce", "ciphertext"}, base64), or None when
    this key cannot open it."""
    import nacl.exceptions
    import nacl.secret

    try:
        fields = load_json(data) if isinstance(data, str) else data
        nonce = base64.b64decode(fields["nonce"])
        ciphertext = base64.b64decode(fields["ciphertext"])
        plain = nacl.secret.SecretBox(base64.b64decode(shared)).decrypt(ciphertext, nonce)
    except (ValueError, KeyError, TypeError, binascii.Error, nacl.exceptions.CryptoError):
        return None
    return plain.decode("utf-8", "replace")

