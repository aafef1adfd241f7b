"""What a `check` run was asked to do, its time budget, and what its checks have learned so far.

Checks read and write the context; the runner creates it and closes it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from msgspec import Struct, field

from pusher_doctor.config.endpoints import PUSHER_CLOUD, ClusterDirectory
from pusher_doctor.config.settings import LoadedSettings
from pusher_doctor.config.target import Target
from pusher_doctor.contract import HOTEL_CHAT, Contract
from pusher_doctor.deadline import Deadline
from pusher_doctor.hotel_chat import TEST_MESSAGE, ChannelPlan
from pusher_doctor.results import ObservedEvent

if TYPE_CHECKING:  # the context only holds these: each check imports what it drives
    from pusher_doctor.checks.demo_guest import DemoGuest
    from pusher_doctor.page.options import PageOptions
    from pusher_doctor.page.watch import PageWatch
    from pusher_doctor.protocol.auth import AuthEndpoint
    from pusher_doctor.protocol.guest import GuestConnection
    from pusher_doctor.protocol.rest import RestClient
    from pusher_doctor.protocol.signing import ChannelAuth
    from pusher_doctor.protocol.via_backend import Backend


class CheckRequest(Struct, frozen=True):
    hotel: str | None
    room: str | None
    conversation: str | None
    timeout: float
    #: trigger even when a live guest is subscribed, without asking
    assume_yes: bool = False
    #: asks the person at the terminal a yes/no question; None when nobody can answer
    confirm: Callable[[str], bool] | None = None
    message_text: str = TEST_MESSAGE
    #: where each Pusher cloud cluster lives; tests aim it at local servers
    clusters: ClusterDirectory = PUSHER_CLOUD
    #: the guest page to watch in a browser while the test message is sent (`--page`)
    page: PageOptions | None = None
    #: time.monotonic() when the command started: reading the settings is part of the budget
    started_at: float | None = None
    #: put in front of the guide's channel names: "private-", "presence-" or "private-encrypted-"
    channel_prefix: str = ""
    #: full channel-name templates ({hotel}, {room}, {conversation}) replacing the guide's names
    room_template: str | None = None
    conversation_template: str | None = None
    #: the app's auth endpoint for private channels; without it pusher-doctor signs with the secret
    auth_endpoint: AuthEndpoint | None = None
    #: the app's user-authentication endpoint (pusher-js signin()); with it the guest signs in first
    user_auth_endpoint: AuthEndpoint | None = None
    #: `demo`'s own pusher-js guest on the room channel, which the demo-guest step asks what it received
    demo_guest: DemoGuest | None = None
    #: the app's channels and events (pusher-doctor.toml); the hotel chat's unless one was found
    contract: Contract = HOTEL_CHAT
    #: values of the contract's other fields (--field NAME=VALUE)
    fields: Mapping[str, str] = field(default_factory=dict)
    #: the app's backend that sends the test message itself (--via-backend DIR) instead of the REST API
    via_backend: Backend | None = None
    #: where the backend's channel auth lives (its auth route and guard, its channel callbacks), shown with a
    #: refusal of the auth endpoint
    backend_notes: tuple[str, ...] = ()
    #: a CI run (`--ci`): no guest page is expected, so an empty room channel is what should be found
    ci: bool = False


class TriggeredEvent(Struct):
    channel: str
    event: str
    sent_at: float  # time.monotonic() just before the REST call


class CheckContext(Struct):
    """Shared by the checks of one run, in registry order: each reads what earlier ones learned."""

    request: CheckRequest
    loaded: LoadedSettings
    deadline: Deadline
    target: Target | None = None
    plan: ChannelPlan | None = None
    rest: RestClient | None = None
    guest: GuestConnection | None = None
    #: why the REST API's server could not be reached at all; on a self-hosted server the WebSocket
    #: lives on the same host and port, so it is not tried again
    unreachable_server: str | None = None
    live_subscribers: int | None = None
    #: the cloud cluster whose WebSocket accepts the key ("" when none does), once asked
    key_cluster: str | None = None
    probe_id: str | None = None
    triggered: list[TriggeredEvent] = field(default_factory=list)
    events: list[ObservedEvent] = field(default_factory=list)
    #: what the guest connection subscribes to each private channel with (channel-auth)
    channel_auth: dict[str, ChannelAuth] = field(default_factory=dict)
    #: the guest page open in a browser (`--page`)
    page: PageWatch | None = None
    #: how often the test message's text showed in the page just before the trigger (None: cannot tell)
    page_text_before: int | None = None
    #: when the test event's frame reached the page (time.monotonic())
    page_received_at: float | None = None
    #: whether the page's pusher-js binds the room event; None when it cannot be read
    page_listens: bool | None = None

    def close(self) -> None:
        """Releases the guest connection and the page's browser; safe to call more than once."""
        guest, self.guest = self.guest, None
        if guest is not None:
            guest.close()
        page, self.page = self.page, None
        if page is not None:
            page.close()
