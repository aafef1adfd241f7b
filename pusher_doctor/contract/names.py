"""Pusher's rules for channel names, and the prefixes that make a channel private, presence or encrypted.

Pure logic shared by every channel name the contract builds, parses or judges.
"""

from __future__ import annotations

import re

#: Pusher's documented channel-name rules
CHANNEL_NAME_CHARS = re.compile(r"^[-a-zA-Z0-9_=@,.;]+$")
CHANNEL_NAME_MAX = 164

PRIVATE_PREFIX = "private-"
PRESENCE_PREFIX = "presence-"
ENCRYPTED_PREFIX = "private-encrypted-"
#: longest first, so that private-encrypted- is not taken for private-
CHANNEL_PREFIXES = (ENCRYPTED_PREFIX, PRESENCE_PREFIX, PRIVATE_PREFIX)

#: a channel's kind, by its prefix
PUBLIC, PRIVATE, PRESENCE, ENCRYPTED = "public", "private", "presence", "encrypted"
_KIND_OF_PREFIX = {ENCRYPTED_PREFIX: ENCRYPTED, PRESENCE_PREFIX: PRESENCE, PRIVATE_PREFIX: PRIVATE, "": PUBLIC}


def split_prefix(channel: str) -> tuple[str, str]:
    """(private-, presence-, private-encrypted- or "", the rest of the name)."""
    for prefix in CHANNEL_PREFIXES:
        if channel.startswith(prefix):
            return prefix, channel.removeprefix(prefix)
    return "", channel


def channel_kind(channel: str) -> str:
    """public, private, presence or encrypted, by the name's prefix."""
    return _KIND_OF_PREFIX[split_prefix(channel)[0]]


def needs_auth(channel: str) -> bool:
    """Whether subscribing needs a signature from the app (private-, presence-, private-encrypted-)."""
    return channel_kind(channel) != PUBLIC


def bad_characters(text: str) -> list[str]:
    """The characters of `text` Pusher does not allow in a channel name, each once, sorted."""
    return sorted({char for char in text if not CHANNEL_NAME_CHARS.match(char)})


def channel_name_problem(name: str) -> str | None:
    """Why Pusher would refuse this channel name, or None."""
    if not name:
        return "the channel name is empty"
    bad = bad_characters(name)
    if bad:
        shown = " ".join(repr(char) for char in bad[:5])
        quoted = repr(name) if len(name) <= CHANNEL_NAME_MAX else f"{name[:40]!r}…"  # one line, however long
        return f"{quoted} contains characters Pusher does not allow: {shown}"
    if len(name) > CHANNEL_NAME_MAX:
        return f"{name[:40]!r}… is {len(name)} characters long; Pusher allows {CHANNEL_NAME_MAX}"
    return None
