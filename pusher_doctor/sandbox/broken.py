"""The demo's scenarios: the healthy sandbox, and one broken on purpose for each cause `demo --broken`
offers, so a person can see that cause's report without breaking their own app.

A scenario is data: how the sandbox app is configured, which setting the "backend" gets wrong, where its
PUSHER_HOST/PORT point, whether the demo's pusher-js guest is there and on which channel, and how the
auth endpoint answers. `cli/demo.py` builds the sandbox from it; `tests/sandbox` runs every one and
checks that it really produces its cause id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: the demo's hotel, room and conversation: the guide's channel names for them
HOTEL = "demo-hotel"
ROOM = "101"
CONVERSATION = "1"
#: the healthy demo's channels are private (as the README recommends), so its run can end all green
PRIVATE_PREFIX = "private-"

SettingFault = Literal["", "wrong-secret", "unknown-key", "unknown-app-id", "missing-key", "swapped"]
ServerFault = Literal["", "closed-port", "web-server", "silent"]
GuestPlace = Literal["room", "near-miss", "none"]
AuthAnswer = Literal["signs", "wrong-secret", "refuses"]


@dataclass(frozen=True)
class Scenario:
    """One sandbox setup. The defaults are the healthy demo."""

    #: the cause id this scenario shows; "" for the healthy demo
    cause: str = ""
    #: what is wrong, in one line, for `--broken list` and the report's heading
    shows: str = "nothing: soketi, a private room channel, its auth endpoint and a pusher-js guest on it"
    app_enabled: bool = True
    #: soketi's maxConnections for the app (-1: unlimited)
    max_connections: int = -1
    #: soketi's maxEventPayloadInKb; Pusher's own limit is 10 KB
    payload_limit_kb: int = 100
    client_messages: bool = False
    #: the setting the "backend" gets wrong
    setting: SettingFault = ""
    #: where PUSHER_HOST/PUSHER_PORT point instead of soketi
    server: ServerFault = ""
    #: where the demo's pusher-js guest subscribes: the room channel, a channel with almost its name, none
    guest: GuestPlace = "room"
    hotel: str = HOTEL
    channel_prefix: str = PRIVATE_PREFIX
    auth: AuthAnswer = "signs"
    #: the test message's length in characters (None: the usual short message)
    message_length: int | None = None

    def room_channel(self) -> str:
        return f"{self.channel_prefix}{self.hotel}-room-{ROOM}-chat"

    def guest_channel(self) -> str | None:
        """The channel the demo's guest subscribes to, or None when this scenario has no guest."""
        if self.guest == "none":
            return None
        if self.guest == "near-miss":  # the page builds `-rooms-` where the backend builds `-room-`
            return f"{self.channel_prefix}{self.hotel}-rooms-{ROOM}-chat"
        return self.room_channel()

    def settings(self, app_id: str, key: str, secret: str, host: str, port: int) -> dict[str, str]:
        """The "backend's" settings, as command-line options would give them, with this scenario's fault."""
        options = {"app_id": app_id, "key": key, "secret": secret, "host": host, "port": str(port),
                   "scheme": "http"}
        if self.setting == "wrong-secret":
            options["secret"] = "0" * len(secret)
        elif self.setting == "unknown-key":
            options["key"] = "not-" + key
        elif self.setting == "unknown-app-id":
            options["app_id"] = str(int(app_id) + 1)
        elif self.setting == "missing-key":
            del options["key"]
        elif self.setting == "swapped":
            options["key"], options["secret"] = secret, key
        return options


HEALTHY = Scenario()

_BROKEN: tuple[Scenario, ...] = (
    Scenario("missing-setting", "PUSHER_KEY is not set", setting="missing-key"),
    Scenario("malformed-setting", "PUSHER_KEY and PUSHER_SECRET are swapped", setting="swapped"),
    # No guest: a page cannot subscribe to that name either.
    Scenario("invalid-channel-name", "the hotel slug has a space: 'demo hotel'", hotel="demo hotel",
             guest="none"),
    Scenario("unreachable", "PUSHER_PORT is a closed port", server="closed-port"),
    Scenario("not-pusher", "PUSHER_PORT is a plain web server's", server="web-server"),
    Scenario("timeout", "PUSHER_PORT is a server that never answers (the run waits out --timeout)",
             server="silent"),
    Scenario("app-not-found", "PUSHER_APP_ID is another app's", setting="unknown-app-id"),
    Scenario("wrong-secret", "PUSHER_SECRET is not the app's", setting="wrong-secret"),
    Scenario("key-not-found", "PUSHER_KEY is not an app's on this server", setting="unknown-key"),
    Scenario("app-disabled", "the app is disabled on the server", app_enabled=False, guest="none"),
    Scenario("over-quota", "the app allows one connection and the guest holds it", max_connections=1),
    Scenario("live-guest-absent", "no guest page is open", guest="none"),
    Scenario("channel-near-miss", "the guest page subscribes to -rooms- instead of -room-",
             guest="near-miss"),
    Scenario("auth-unauthenticated", "the auth endpoint answers 403 (no session)", auth="refuses",
             guest="none"),
    Scenario("auth-signature-mismatch", "the auth endpoint signs with another secret", auth="wrong-secret",
             guest="none"),
    Scenario("public-guest-channel", "the room channel is public (the guide's layout)", channel_prefix=""),
    Scenario("payload-too-large", "the test message is 12,000 characters; Pusher allows 10 KB",
             payload_limit_kb=10, message_length=12_000),
    Scenario("client-events-enabled", "the app relays client events", client_messages=True),
)

#: every scenario `demo --broken` offers, by the cause id it shows, in the order the checklist meets them
BROKEN: dict[str, Scenario] = {scenario.cause: scenario for scenario in _BROKEN}


def scenario_for(cause: str | None) -> Scenario:
    """The healthy demo for None, else the scenario showing `cause`; KeyError when none is offered."""
    return HEALTHY if cause is None else BROKEN[cause]


def with_message(scenario: Scenario, text: str) -> str:
    """The test message for `scenario`: `text`, padded to the scenario's length when it has one."""
    if scenario.message_length is None:
        return text
    filler = " The front desk's long message goes on." * (scenario.message_length // 30 + 1)
    return (text + filler)[:scenario.message_length]


__all__ = ["BROKEN", "HEALTHY", "Scenario", "scenario_for", "with_message"]
