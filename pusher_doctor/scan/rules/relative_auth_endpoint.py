"""``relative-auth-endpoint``: the auth endpoint is a path on the page's origin while the app's API is
on another one.

``authEndpoint: '/broadcasting/auth'`` (or ``channelAuthorization`` / ``userAuthentication``
``endpoint``, or no endpoint at all: pusher-js then asks ``/pusher/auth``, Echo ``/broadcasting/auth``)
is resolved by the browser against the page's origin. In a single-page app served apart from its API
the request reaches the frontend's server: a 404, or its ``index.html`` with 200, and every private
channel is refused. Reported only when the code shows that the API lives elsewhere: it reads an env
variable named for the API's address (``VITE_API_URL``, ``NEXT_PUBLIC_BACKEND_URL``, ``REACT_APP_API_BASE_URL``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.channel_index import SUBSCRIBE
from pusher_doctor.scan.facts import Client, FileFacts
from pusher_doctor.scan.facts.records import LARAVEL_ECHO
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, options_object
from pusher_doctor.scan.tree import object_property, text

#: env variable names that hold the API's address
_API_ADDRESS = re.compile(r"(?:^|_)(?:API|BACKEND|SERVER)(?:_BASE)?_(?:URL|URI|HOST|ORIGIN|DOMAIN|ENDPOINT)$")
#: (option path, how it is written in messages): pusher-js 7 and Echo, then pusher-js 8's two
_ENDPOINT_OPTIONS = ((("authEndpoint",), "authEndpoint"), (("channelAuthorization", "endpoint"),
                     "channelAuthorization.endpoint"), (("userAuthentication", "endpoint"),
                                                         "userAuthentication.endpoint"))
_PRIVATE_PREFIXES = ("private-", "presence-")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if not facts.clients:
            continue
        # one app's API address says nothing of another's
        api = project.memo((__name__, "api", facts.package), _api_address, project.packages()[facts.package])
        if api is None:
            continue
        api_name, api_expression = api
        private = project.memo(
            (__name__, "private", facts.package), _subscribes_privately, project, facts.package
        )
        for client in facts.clients:
            endpoints = list(_endpoints(facts, client))
            for option, node, path in endpoints:
                if path is None:
                    continue
                yield hit_at(
                    facts,
                    node,
                    f"{option} '{path}' is relative: the browser sends it to the page's own origin, but this app's "
                    f"API is at {api_name}; the auth request gets the frontend's 404 (or its index.html) and "
                    "private channels are refused",
                    f"give the endpoint on the API's origin: {option.split('.')[0]}: "
                    + ("{ endpoint: " if "." in option else "") + f"`${{{api_expression}}}{path}`"
                    + (" }" if "." in option else ""),
                )
            if not endpoints and private and client.options is not None and not _authorizes_itself(facts, client):
                default = "/broadcasting/auth" if client.library == LARAVEL_ECHO else "/pusher/auth"
                option = "authEndpoint" if client.library == LARAVEL_ECHO else "channelAuthorization"
                yield hit_at(
                    facts,
                    client.node,
                    f"{client.constructor}(...) has no auth endpoint, so private channels are authorized at "
                    f"'{default}' on the page's own origin, but this app's API is at {api_name}",
                    f"name the endpoint on the API's origin: {option}: "
                    + ("{ endpoint: " if option != "authEndpoint" else "") + f"`${{{api_expression}}}{default}`"
                    + (" }" if option != "authEndpoint" else ""),
                )


def _api_address(files: list[FileFacts]) -> tuple[str, str] | None:
    """(env variable name, the code that reads it) of the API's address, when the app's code reads one."""
    for facts in files:
        for name, node in facts.env_reads:
            if _API_ADDRESS.search(name):
                return name, text(node)
    return None


def _subscribes_privately(project: Project, package: str) -> bool:
    """Whether a file of the app subscribes (itself, not at a hook's call site) to a private or presence
    channel."""
    return any(
        use.package == package and use.via is None and use.channel is not None
        and use.channel.text.startswith(_PRIVATE_PREFIXES)
        for use in project.uses(SUBSCRIBE)
    )


def _authorizes_itself(facts: FileFacts, client: Client) -> bool:
    """Whether the client signs through its own code instead of an endpoint: `authorizer` (pusher-js 7,
    Echo) or a `customHandler` (pusher-js 8)."""
    options = options_object(facts, client.options)
    if options is None:
        return True  # options that cannot be read: nothing is said about them
    if object_property(options, "authorizer") is not None:
        return True
    channel_authorization = options_object(facts, object_property(options, "channelAuthorization"))
    return channel_authorization is not None and object_property(channel_authorization, "customHandler") is not None


def _endpoints(facts: FileFacts, client: Client) -> Iterator[tuple[str, Node, str | None]]:
    """(option, value, the path when it is relative) of each auth endpoint the client's options name."""
    options = options_object(facts, client.options)
    if options is None:
        return
    for path, label in _ENDPOINT_OPTIONS:
        value: Node | None = options
        for name in path:
            holder = options_object(facts, value) if value is not None else None
            value = object_property(holder, name) if holder is not None else None
        if value is None:
            continue
        pattern = facts.resolver.pattern(value)
        first = pattern.parts[0] if pattern.parts else None
        relative = isinstance(first, str) and first.startswith("/") and not first.startswith("//")
        yield label, value, (pattern.literal or pattern.display) if relative else None


RULE = Rule(
    id="relative-auth-endpoint",
    checklist_item="subscribed",
    title="Relative auth endpoint while the API is on another origin",
    finds="`authEndpoint`, `channelAuthorization.endpoint` or `userAuthentication.endpoint` written as a path "
    "(`/broadcasting/auth`), or left out on a client whose app subscribes to `private-`/`presence-` channels "
    "(pusher-js then asks `/pusher/auth`, Echo `/broadcasting/auth`), in code that reads an env variable "
    "named for the API's address (`VITE_API_URL`, `NEXT_PUBLIC_BACKEND_URL`, `REACT_APP_API_BASE_URL`...). "
    "Apps whose API shares the page's origin are not reported, nor clients that sign through their own "
    "`authorizer` or `customHandler`.",
    why="The browser resolves a path against the page's origin: the auth request reaches the frontend's "
    "server, answers 404 (or index.html), and every private channel is refused (`auth-endpoint-status`).",
    fix="Give the endpoint on the API's origin, from the same env variable as the rest of the API calls.",
    wrong="const api = import.meta.env.VITE_API_URL;\nexport const echo = new Echo({\n  broadcaster: 'pusher',\n"
    "  key: import.meta.env.VITE_PUSHER_APP_KEY,\n  cluster: 'eu',\n  authEndpoint: '/broadcasting/auth',\n});",
    right="const api = import.meta.env.VITE_API_URL;\nexport const echo = new Echo({\n  broadcaster: 'pusher',\n"
    "  key: import.meta.env.VITE_PUSHER_APP_KEY,\n  cluster: 'eu',\n  authEndpoint: `${api}/broadcasting/auth`,\n});",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
