"""``auth-header-read-once``: a client created once whose auth headers are read when it is created.

``new Pusher(key, { channelAuthorization: { headers: { Authorization: `Bearer ${localStorage
.getItem('token')}` } } })`` at module level reads the token when the module loads: before the
user logs in, that is nothing, and the client keeps it. Only clients created once (module level, a
plugin, ``window.Echo``) and only headers that carry a token read from somewhere (not a literal, not
an env variable, not a CSRF token, which is fixed for the page) are reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Client, FileFacts, Owner
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, options_object
from pusher_doctor.scan.tree import object_property, text, unwrap
from pusher_doctor.scan.values import env_variable

#: pusher-js 8's option names, pusher-js 7's and Echo's
_AUTH_OPTIONS = ("channelAuthorization", "userAuthentication", "auth")
_TOKEN_WORDS = ("token", "bearer", "jwt", "authorization", "session")
_CONSTANT_TYPES = ("string", "number", "true", "false", "null", "undefined")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for client in facts.clients:
            if client.owner not in (Owner.MODULE, Owner.APP):
                continue
            for name, value in _auth_headers(facts, client):
                yield hit_at(
                    facts,
                    value,
                    f"the {name} header is read once, when {client.constructor}(...) runs at load: after the user "
                    "logs in without a reload, private and presence channels are still authorized with the old "
                    "value and fail",
                    _hint(client),
                )


def _auth_headers(facts: FileFacts, client: Client) -> Iterator[tuple[str, Node]]:
    options = options_object(facts, client.options)
    for option in _AUTH_OPTIONS:
        auth = options_object(facts, object_property(options, option)) if options is not None else None
        headers = options_object(facts, object_property(auth, "headers")) if auth is not None else None
        if headers is None:
            continue
        for pair in headers.named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if pair.type != "pair" or key is None or value is None:
                continue
            name = text(key).strip("'\"")
            if _token_read_at_creation(name, value):
                yield name, value


def _token_read_at_creation(name: str, value: Node) -> bool:
    value = unwrap(value)
    if value.type in _CONSTANT_TYPES or env_variable(value) is not None:
        return False
    words = (name + " " + text(value)).lower()
    return "csrf" not in words and "xsrf" not in words and any(word in words for word in _TOKEN_WORDS)


def _hint(client: Client) -> str:
    if client.constructor == "new Echo":
        return (
            "read the token per request: pass an authorizer to new Echo({ authorizer: (channel) => ({ authorize: "
            "... }) }) that reads it, or set echo.connector.pusher.config.auth.headers.Authorization after login"
        )
    return (
        "read the token per request: channelAuthorization: { endpoint, transport: 'ajax', headersProvider: () => "
        "({ Authorization: `Bearer ${getToken()}` }) } (pusher-js 8), or create the client after login"
    )


RULE = Rule(
    id="auth-header-read-once",
    checklist_item="subscribed",
    title="Auth header read once, when the client is created",
    finds="A client created once (module level, a plugin, `window.Echo`) whose `channelAuthorization`, "
    "`userAuthentication` or `auth` (pusher-js 7, Echo) `headers` carry a token read at that moment: a "
    "value that is neither a literal nor an env variable and names a token (`Authorization`, `token`, "
    "`Bearer`, `jwt`, `session`). CSRF tokens, fixed for the page, are not reported, nor clients created "
    "per component.",
    why="The token is read when the module loads, before an in-app login: private and presence channels "
    "are authorized with no (or the previous user's) token and refused until the page is reloaded.",
    fix="Read the token for each authorization request (`headersProvider` in pusher-js 8, an `authorizer` "
    "with Echo), or create the client after login.",
    wrong="export const pusher = new Pusher(KEY, {\n  cluster: 'eu',\n  channelAuthorization: {\n"
    "    endpoint: '/api/pusher/auth',\n"
    "    headers: { Authorization: `Bearer ${localStorage.getItem('token')}` },\n  },\n});",
    right="export const pusher = new Pusher(KEY, {\n  cluster: 'eu',\n  channelAuthorization: {\n"
    "    endpoint: '/api/pusher/auth',\n"
    "    headersProvider: () => ({ Authorization: `Bearer ${localStorage.getItem('token')}` }),\n  },\n});",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
