"""The live-guest guard: nothing is sent on a channel where a real guest would see it, unless --yes or a
person at the terminal says so. `check`'s trigger step and the triage commands that send (`trigger`,
`latency`) ask the same question, so it lives here, beside neither."""

from __future__ import annotations

from collections.abc import Callable


def guest_consents(live: int | None, channel: str, what: str, assume_yes: bool,
                   confirm: Callable[[str], bool] | None) -> str | None:
    """None when `what` may be sent on `channel`, otherwise why not. Nobody subscribed, --yes, or a person
    who says yes when asked; an unknown count is treated like a live guest."""
    if live == 0 or assume_yes:
        return None
    who = "someone may be" if live is None else f"{live} connection(s) are"
    if confirm is None:
        return f"{who} subscribed to {channel} and would see {what}; pass --yes to send it"
    agreed = confirm(f"{who} subscribed to {channel} right now: send {what}?")
    return None if agreed else f"not sent: you declined to send {what} to the live guest"
