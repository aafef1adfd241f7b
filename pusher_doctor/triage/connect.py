"""Where a triage command connects, from the same settings as `check`, with the key alone when that is
all the command needs: subscribing to public channels takes only the key, as a guest page has.

Which steps need the secret: listing channels (`rooms`, `watch --all-rooms`) and triggering (`trigger`,
`latency`) are signed REST calls; `watch` on named channels is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec.structs import replace

from pusher_doctor.config.endpoints import PUSHER_CLOUD, ClusterDirectory
from pusher_doctor.config.secret import Secret
from pusher_doctor.config.settings import LoadedSettings, Setting
from pusher_doctor.config.target import Target, build_target, validate
from pusher_doctor.results import Problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pusher_doctor.protocol.auth import AuthEndpoint
    from pusher_doctor.protocol.authorizer import ChannelAuthorizer
    from pusher_doctor.protocol.rest import RestClient

#: settings only a signed REST call needs
_REST_ONLY = ("app_id", "secret")
#: stand-ins so that `validate` goes on to check the form of the others; never sent anywhere
_PLACEHOLDERS = {"app_id": "1", "secret": "placeholder-not-a-secret"}


class Connection(Struct, frozen=True):
    target: Target
    key: str
    #: None when the command runs with the key alone
    app_id: str | None
    secret: Secret | None
    #: the backend's encryption master key (private-encrypted- channels), when set
    master_key: Secret | None = None

    def rest(self) -> RestClient:
        """The client for signed REST calls (listing channels, triggering); only for a connection resolved
        with the secret, which `resolve` made sure of."""
        from pusher_doctor.protocol.rest import RestClient

        assert self.app_id is not None and self.secret is not None, "resolved without needs_secret"
        return RestClient(self.target.rest, self.app_id, self.key, self.secret)

    def authorizer(self, endpoint: AuthEndpoint | None) -> ChannelAuthorizer:
        """What signs private, presence and encrypted channels: the app's auth endpoint when given (checked
        with the secret when there is one), else the secret."""
        from pusher_doctor.protocol.authorizer import ChannelAuthorizer

        return ChannelAuthorizer(self.key, self.secret, endpoint, self.master_key)


def auth_endpoints(endpoint_url: str | None, user_endpoint_url: str | None, headers: Sequence[str],
                   cookies: Sequence[str], origin: str | None) -> dict[str, AuthEndpoint | None]:
    """--auth-endpoint and --user-auth-endpoint with the headers, cookies and origin the page sends, by
    option; ValueError says what is wrong without quoting a header's or cookie's value."""

    def built(url: str, option: str) -> AuthEndpoint:
        # imported only when an endpoint is given: the exchange and signing are ~3 ms of every start
        from pusher_doctor.protocol.auth import build_endpoint

        return build_endpoint(url, headers, cookies, origin, option)

    return {option: None if url is None else built(url, option)
            for option, url in (("--auth-endpoint", endpoint_url), ("--user-auth-endpoint", user_endpoint_url))}


def resolve(loaded: LoadedSettings, needs_secret: bool,
            directory: ClusterDirectory = PUSHER_CLOUD, needs_app_id: bool = True) -> Connection | Problem:
    """The endpoints and credentials, or the first thing wrong with the settings.

    Without `needs_secret`, a missing app id or secret is fine: the rest is validated as `check` does.
    Without `needs_app_id`, only the secret is needed (signing a channel, which is not a REST call).
    """
    needed = {"app_id", "secret"} if needs_secret else set()
    if not needs_app_id:
        needed.discard("app_id")
    stand_ins = {name: Setting(name, _PLACEHOLDERS[name], "placeholder")
                 for name in _REST_ONLY if name not in needed and not loaded[name].present}
    checked = replace(loaded, settings={**loaded.settings, **stand_ins}) if stand_ins else loaded
    problems = validate(checked, directory)
    if problems:
        return problems[0]
    master_key = loaded.value("encryption_master_key")
    return Connection(build_target(loaded, directory), str(loaded.value("key")), loaded.value("app_id"),
                      loaded.secret, Secret(master_key) if master_key is not None else None)
