"""The app's own auth endpoint, asked the way pusher-js asks it: for a private, presence or encrypted
channel's signature, and for a user sign-in. Each way a browser would get no usable answer (unreachable,
CORS, a status, a body pusher-js cannot read) gets its own cause before the server sees anything.

pusher-js POSTs a form (`socket_id`, `channel_name`) to the page's auth endpoint, accepts only HTTP 200
with a JSON body, and subscribes with its `auth` (plus `channel_data` on presence channels, and a
`shared_secret` on private-encrypted- ones). Making and checking signatures is `signing.py`.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from pusher_doctor.config.secret import Secret
from pusher_doctor.config.urls import UrlFormError, checked_url, shown_url, url_password
from pusher_doctor.protocol.bounded import within
from pusher_doctor.protocol.signing import ChannelAuth, UserAuth, user_data_problem
from pusher_doctor.protocol.wire import classify_transport_error, load_json
from pusher_doctor.results import Problem, problem

#: the most of an auth answer that is read: a real one is a few hundred bytes
MAX_ANSWER_BYTES = 64 << 10
#: the socket id pusher-doctor sends in its second request when a signature does not match: a signature
#: that does not change with the socket id was not made for the socket that asked
OTHER_SOCKET_ID = "987654.3210"


@dataclass(frozen=True)
class AuthEndpoint:
    """The app's auth endpoint and what the guest's browser would send with each request to it."""

    url: str
    #: extra request headers (`Authorization: Bearer ...`, `X-CSRF-TOKEN: ...`); values are secrets
    headers: tuple[tuple[str, Secret], ...] = ()
    #: the guest's session cookies; values are secrets
    cookies: tuple[tuple[str, Secret], ...] = ()
    #: the guest page's origin (`https://guest.example.com`), for the CORS check
    origin: str | None = None
    #: the user-authentication endpoint (pusher-js signin()) rather than the channel one
    for_users: bool = False
    @property
    def shown_url(self) -> str:
        """The URL as output shows it: password masked, query (often a token) left out."""
        return shown_url(self.url)

    @property
    def basic_auth(self) -> Secret | None:
        """`Basic ...` from a user:password in the URL, which a browser's XHR sends, as urllib does not."""
        return _basic_auth(self.url)

    @property
    def request_url(self) -> str:
        """The URL requests go to: without its user:password@ part, sent as `basic_auth` instead."""
        parts = urlsplit(self.url)
        return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """Every value to mask in output."""
        values = [value for _, value in (*self.headers, *self.cookies)]
        if (password := url_password(self.url)) is not None:
            values.append(Secret(password))
        if (basic := self.basic_auth) is not None:
            values.append(basic)
        # "Bearer abc123": a server may echo the token alone
        tokens = [Secret(value.reveal().split()[-1]) for value in values if len(value.reveal().split()) > 1]
        return (*values, *tokens)

    @property
    def cross_origin(self) -> bool:
        return self.origin is not None and origin_of(self.url) != self.origin.rstrip("/").lower()


@dataclass(frozen=True)
class EndpointAnswer:
    status: int
    body: str
    headers: Mapping[str, str]


def build_endpoint(url: str, headers: Sequence[str] = (), cookies: Sequence[str] = (),
                   origin: str | None = None, option: str = "--auth-endpoint") -> AuthEndpoint:
    """The endpoint from the command line's `option` (--auth-endpoint or --user-auth-endpoint),
    --auth-header 'Name: value', --auth-cookie NAME=VALUE and --origin; ValueError says what is wrong
    without quoting a header's or cookie's value."""
    if origin is not None:
        checked_url("--origin", origin, "https://guest.example.com")
        parts = urlsplit(origin)
        if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username is not None:
            raise UrlFormError(f"--origin {shown_url(origin)!r} is not an origin: it has more than scheme, host "
                               "and port", "give the guest page's origin only, e.g. https://guest.example.com")
        origin = origin.rstrip("/")
    if url.startswith("/") and not url.startswith("//"):
        if origin is None:
            raise ValueError(f"{option} {shown_url(url)} is relative: a browser resolves it against the page's origin; "
                             "give --origin too, or the endpoint's full URL")
        url = origin + url  # as the browser does: a relative authEndpoint goes to the page's own origin
    checked_url(option, url, "https://api.example.com/pusher/auth")
    parsed_headers = []
    for header in headers:
        name, colon, value = header.partition(":")
        if not colon or not name.strip() or any(ch.isspace() or not ch.isprintable() for ch in name.strip()):
            raise ValueError("--auth-header must be 'Name: value' (the value is not shown)")
        if any(ch in value for ch in "\r\n\0"):
            raise ValueError(f"--auth-header {name.strip()}: the value holds a line break")
        parsed_headers.append((name.strip(), Secret(value.strip())))
    parsed_cookies = []
    for cookie in cookies:
        name, equals, value = cookie.partition("=")
        if not equals or not name.strip() or any(ch in cookie for ch in ";\r\n\0"):
            raise ValueError("--auth-cookie must be NAME=VALUE, one cookie each (the value is not shown)")
        parsed_cookies.append((name.strip(), Secret(value.strip())))
    return AuthEndpoint(url, tuple(parsed_headers), tuple(parsed_cookies), origin,
                        for_users=option == "--user-auth-endpoint")


def _basic_auth(url: str) -> Secret | None:
    """The Authorization value for https://user:password@host/: a browser's XHR sends it; urllib would
    take user:password@host for the host name."""
    parts = urlsplit(url)
    if parts.username is None:
        return None
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return Secret("Basic " + base64.b64encode(pair.encode()).decode())



# --- the endpoint ---------------------------------------------------------------------------------------

def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-case, default ports left out (as browsers compare them)."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port and port != default else "")


def _exchange(method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float,
              ) -> EndpointAnswer | BaseException | None:
    """One HTTP exchange, bounded as a whole (`within`): the answer, the error it raised, or None when time
    ran out. An error status is an answer too, and so is a redirect: it is never followed, because urllib
    would forward the guest's cookie and headers to wherever the Location points (`redirect_problem`)."""
    # Imported here: most runs have no auth endpoint, and urllib.request costs every start ~20 ms.
    import urllib.error
    import urllib.request

    class Unfollowed(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # urllib then raises the 3xx as an HTTPError: an answer like any other status

    opener = urllib.request.build_opener(Unfollowed)

    def attempt() -> EndpointAnswer:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with opener.open(request, timeout=max(timeout, 0.05)) as answer:
                return EndpointAnswer(answer.status, _text(answer.read(MAX_ANSWER_BYTES)),
                                      dict(answer.headers.items()))
        except urllib.error.HTTPError as error:
            text = _text(error.read(MAX_ANSWER_BYTES)) if error.fp is not None else ""
            return EndpointAnswer(error.code, text, dict(error.headers.items()))

    return within(timeout, attempt, "pusher-doctor-auth")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _unreachable(endpoint: AuthEndpoint, outcome: BaseException | None, timeout: float) -> Problem:
    if outcome is None:
        why = f"no answer within {timeout:.1f} s"
    else:
        reason = getattr(outcome, "reason", None)
        why = classify_transport_error(reason if isinstance(reason, BaseException) else outcome,
                                       origin_of(endpoint.url)).summary
    return problem("auth-endpoint-unreachable", f"auth endpoint {endpoint.shown_url}: {why}")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name.lower()), None)


def _request_headers(endpoint: AuthEndpoint) -> dict[str, str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
               "User-Agent": "pusher-doctor (auth endpoint check)"}
    if (basic := endpoint.basic_auth) is not None:
        headers["Authorization"] = basic.reveal()  # an --auth-header given too replaces it
    headers.update({name: value.reveal() for name, value in endpoint.headers})
    if endpoint.cookies:
        headers["Cookie"] = "; ".join(f"{name}={value.reveal()}" for name, value in endpoint.cookies)
    if endpoint.origin is not None:
        headers["Origin"] = endpoint.origin
    return headers


def cors_problem(endpoint: AuthEndpoint, headers: Mapping[str, str], preflight: Mapping[str, str] | None
                 ) -> Problem | None:
    """Why a browser on `endpoint.origin` would not let pusher-js read this answer, or None."""
    if not endpoint.cross_origin:
        return None
    assert endpoint.origin is not None
    origin = endpoint.origin.rstrip("/")
    if preflight is not None:
        allowed = _header(preflight, "Access-Control-Allow-Origin")
        if allowed not in ("*", origin):
            return problem("auth-cors", f"the auth endpoint's CORS preflight (OPTIONS) does not allow {origin}: "
                           f"Access-Control-Allow-Origin is {allowed or 'missing'}")
        listed = {h.strip().lower() for h in (_header(preflight, "Access-Control-Allow-Headers") or "").split(",")}
        missing = [name for name, _ in endpoint.headers if name.lower() not in listed and "*" not in listed]
        if missing:
            return problem("auth-cors", "the auth endpoint's CORS preflight does not allow the header(s) "
                           f"{', '.join(missing)} (Access-Control-Allow-Headers)",
                           f"list {', '.join(missing)} in Access-Control-Allow-Headers for {origin}")
    allowed = _header(headers, "Access-Control-Allow-Origin")
    if allowed not in ("*", origin):
        return problem("auth-cors", f"the auth endpoint answers {origin} without a matching "
                       f"Access-Control-Allow-Origin ({allowed or 'missing'}): the browser hides the answer "
                       "from pusher-js")
    return None


_STATUS_REASONS = {
    401: "no session: the guest is not logged in, or the request lacks the cookie or token the endpoint expects",
    403: "refused: no session, or the endpoint's rule does not let this guest join this channel",
    404: "no such route: a wrong URL, or a relative authEndpoint resolved against the frontend's origin "
         "instead of the API's",
    405: "the route exists but not for POST",
    419: "CSRF token missing or stale (Laravel): pusher-js sends no CSRF token unless auth.headers carries it",
}
#: Laravel's channel auth route (`Broadcast::routes()`, `withRouting(channels: ...)`)
LARAVEL_AUTH_PATH = "/broadcasting/auth"


def refusal_cause(endpoint: AuthEndpoint, status: int) -> str:
    """The cause of a refusing status, told apart by what the request carried: Laravel answers 403 both when
    its `web` guard finds no user and when the channel's callback in routes/channels.php returns false, so
    only a request that sent a session can have been refused by the callback. The causes that name Laravel's
    own route are given only for a URL ending in its path."""
    laravel = urlsplit(endpoint.url).path.rstrip("/").endswith(LARAVEL_AUTH_PATH)
    bearer = any(name.lower() == "authorization" and value.reveal().lower().startswith("bearer ")
                 for name, value in endpoint.headers)
    credentials = bool(endpoint.cookies) or endpoint.basic_auth is not None or any(
        name.lower() not in ("x-csrf-token", "x-xsrf-token") for name, _ in endpoint.headers)
    if status == 419:
        return "auth-csrf"
    if status == 403 and endpoint.for_users:
        return "auth-endpoint-status"  # the sign-in's rule is the app's own: no channel callback there
    if status == 401 or (status == 403 and not credentials):
        return "auth-unauthenticated"
    if status == 403 and laravel and bearer and not endpoint.cookies:
        return "broadcast-auth-guard"  # the web guard does not read the token: no user, so 403
    if status == 403:
        return "auth-channel-refused"
    if status == 404 and laravel:
        return "broadcast-routes-missing"
    return "auth-endpoint-status"


def redirect_problem(endpoint: AuthEndpoint, answer: EndpointAnswer) -> Problem | None:
    """A 3xx answer, named: pusher-doctor does not follow it (the guest's cookie and headers would go to
    the Location), and an auth route that redirects is nearly always one behind a login middleware."""
    if not 300 <= answer.status < 400:
        return None
    location = _header(answer.headers, "Location")
    if not location:
        return problem("auth-redirect", f"auth endpoint {endpoint.shown_url} answered HTTP {answer.status} without a "
                       "Location")
    target = urljoin(endpoint.url, location)
    elsewhere = (" on another origin; the session cookie and headers were not sent there"
                 if origin_of(target) != origin_of(endpoint.url) else "")
    return problem("auth-redirect", f"auth endpoint {endpoint.shown_url} answered HTTP {answer.status}, a redirect to "
                   f"{shown_url(target)}{elsewhere}: usually a login page, so the request carried no valid session")


def status_problem(endpoint: AuthEndpoint, answer: EndpointAnswer) -> Problem:
    status = answer.status
    reason = _STATUS_REASONS.get(status) or ("a server error in the endpoint: read the backend's logs"
                                              if status >= 500 else "pusher-js accepts only 200")
    if endpoint.for_users:
        reason = reason.replace("join this channel", "sign in").replace("authEndpoint", "userAuthentication endpoint")
    # The page's option for this endpoint, and the default path pusher-js asks.
    option, path = ("userAuthentication", "/pusher/user-auth") if endpoint.for_users else (
        "channelAuthorization", "/pusher/auth")
    cause = refusal_cause(endpoint, status)
    reason = _CAUSE_REASONS.get(cause, reason)
    fixes = {
        401: "send the guest's session the way the page does (--auth-cookie NAME=VALUE or --auth-header "
             f"'Authorization: Bearer ...'); on the page, pass it in {option}.headers. Laravel: the route's guard "
             "must read what the page sends (web: the session cookie; auth:sanctum: a bearer token, or the "
             "page's domain in SANCTUM_STATEFUL_DOMAINS)",
        403: ("check the endpoint's rule for signing this user in" if endpoint.for_users
              else "check the endpoint's rule for this channel name")
             + " and pass the guest's session (--auth-cookie, --auth-header)",
        404: f"give the endpoint's full URL on the API's origin (https://api.example.com{path}), on the page "
             "as well as here",
        419: f"send the CSRF token: {option}.headers {{'X-CSRF-TOKEN': token}} on the page, "
             "--auth-header 'X-CSRF-TOKEN: ...' here, or exempt the auth route from CSRF",
    }
    generic = fixes.get(status, "read the backend's logs for this request" if status >= 500
                        else "make the endpoint answer 200 with {\"auth\": ...}")
    fix = fixes[401] if cause == "auth-unauthenticated" else generic
    # A named cause's fix is the cause table's (it says it for Laravel too); the generic one is the status's.
    return problem(cause, f"auth endpoint {endpoint.shown_url} answered HTTP {status}: {reason}",
                   fix if cause in ("auth-endpoint-status", "auth-unauthenticated") else None)


#: what a named refusal means, said in the summary (the status alone does not say it)
_CAUSE_REASONS = {
    "auth-unauthenticated": "not logged in: the request carries no session or token the route's guard accepts "
                            "(Laravel: no user for the guard, e.g. a token sent to a `web` route or a cookie to "
                            "an `auth:sanctum` one)",
    "auth-channel-refused": "the guest is logged in but refused on this channel: its rule said no (Laravel: the "
                            "Broadcast::channel() callback in routes/channels.php returned false, or none matches)",
    "broadcast-auth-guard": "the bearer token was not read: the route checks the session (Laravel's `web` guard), "
                            "finds no user and refuses",
    "broadcast-routes-missing": f"Laravel's {LARAVEL_AUTH_PATH} is not registered (Broadcast::routes() or "
                                "withRouting(channels: ...) in bootstrap/app.php)",
    "auth-csrf": "CSRF token missing or stale (Laravel's VerifyCsrfToken): pusher-js sends no CSRF token unless "
                 "its auth headers carry X-CSRF-TOKEN",
}


def _answer_fields(subject: str, answer: EndpointAnswer) -> dict[str, Any] | Problem:
    """The auth answer's JSON object with its string "auth", or why pusher-js could not use it."""
    try:
        body = load_json(answer.body)
    except ValueError:
        looks = ("an HTML page (a login page or an error page?)" if "<" in answer.body[:200]
                 else f"{answer.body.strip()[:60]!r}" if answer.body.strip() else "empty")
        return problem("auth-response-invalid", f"the auth endpoint's answer for {subject} is not JSON: {looks}")
    if not isinstance(body, dict):
        return problem("auth-response-invalid", f"the auth endpoint's answer for {subject} is JSON but not an object")
    if "auth" not in body:
        wrapper = next((name for name, value in body.items() if isinstance(value, dict) and "auth" in value), None)
        if wrapper is not None:
            return problem("auth-response-invalid",
                           f"the auth endpoint wraps its answer in {{\"{wrapper}\": {{\"auth\": ...}}}}: pusher-js "
                           "reads auth at the top level",
                           f"return the signer's result as it is, not inside \"{wrapper}\" (or unwrap it in a "
                           "channelAuthorization.customHandler)")
        return problem("auth-response-invalid", f"the auth endpoint's answer for {subject} has no \"auth\" field "
                       f"(fields: {', '.join(sorted(map(str, body))[:5]) or 'none'})")
    if not isinstance(body["auth"], str):
        return problem("auth-response-invalid", f"the auth endpoint's \"auth\" for {subject} is not a string")
    return body


def read_answer(channel: str, answer: EndpointAnswer, elapsed_ms: float) -> ChannelAuth | Problem:
    """The auth answer's fields, or why pusher-js could not use them."""
    body = _answer_fields(channel, answer)
    if isinstance(body, Problem):
        return body
    shared = body.get("shared_secret")
    return ChannelAuth(channel, body["auth"], body.get("channel_data"), shared if isinstance(shared, str) else None,
                       signed_by="endpoint", elapsed_ms=elapsed_ms)


def _post(endpoint: AuthEndpoint, form: dict[str, str], timeout: Callable[[], float]) -> EndpointAnswer | Problem:
    """POSTs `form` as pusher-js does; the 200 answer, or why a browser would get none."""
    headers = _request_headers(endpoint)
    preflight = None
    if endpoint.cross_origin and endpoint.headers:
        # Custom headers make the browser ask first (OPTIONS); a form POST alone is a "simple" request.
        ask = {"Origin": headers["Origin"], "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": ", ".join(name.lower() for name, _ in endpoint.headers)}
        seconds = timeout()
        outcome = _exchange("OPTIONS", endpoint.request_url, None, ask, seconds)
        if not isinstance(outcome, EndpointAnswer):
            return _unreachable(endpoint, outcome, seconds)
        if (redirected := redirect_problem(endpoint, outcome)) is not None:
            return redirected
        preflight = outcome.headers
    seconds = timeout()
    outcome = _exchange("POST", endpoint.request_url, urlencode(form).encode(), headers, seconds)
    if not isinstance(outcome, EndpointAnswer):
        return _unreachable(endpoint, outcome, seconds)
    if (redirected := redirect_problem(endpoint, outcome)) is not None:
        return redirected
    if (blocked := cors_problem(endpoint, outcome.headers, preflight)) is not None:
        return blocked
    if outcome.status != 200:
        return status_problem(endpoint, outcome)
    return outcome


def ask_endpoint(endpoint: AuthEndpoint, socket_id: str, channel: str, timeout: Callable[[], float]
                 ) -> ChannelAuth | Problem:
    """Asks the auth endpoint for a channel as pusher-js would; the answer, or why a browser would get none.

    `timeout` gives the seconds left each time it is called (the run's deadline)."""
    started = time.monotonic()
    answer = _post(endpoint, {"socket_id": socket_id, "channel_name": channel}, timeout)
    if isinstance(answer, Problem):
        return answer
    return read_answer(channel, answer, (time.monotonic() - started) * 1000)


def ask_user_endpoint(endpoint: AuthEndpoint, socket_id: str, timeout: Callable[[], float]) -> UserAuth | Problem:
    """Asks the user-authentication endpoint as pusher-js's signin() does (a form with socket_id); the
    answer with a usable user_data, or why the page would not sign in."""
    started = time.monotonic()
    answer = _post(endpoint, {"socket_id": socket_id}, timeout)
    if isinstance(answer, Problem):
        return answer
    body = _answer_fields("the user sign-in", answer)
    if isinstance(body, Problem):
        return body
    if (missing := user_data_problem(body.get("user_data"))) is not None:
        return missing
    return UserAuth(body["auth"], body["user_data"], (time.monotonic() - started) * 1000)
