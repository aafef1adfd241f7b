"""``broadcast-auth-guard``: the frontend authenticates with a bearer token (an SPA or mobile app on Sanctum
or Passport) but ``/broadcasting/auth`` runs Laravel's default ``web`` middleware, which knows only the
session: the endpoint answers 403, or 302 to the login page.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit, is_laravel

ID = "broadcast-auth-guard"
LANGUAGE = "php"
#: middleware that authenticate a bearer token
TOKEN_GUARDS = ("auth:sanctum", "auth:api")


def check(backend: Backend) -> Iterator[Hit]:
    view = backend.frontend
    if not is_laravel(backend) or view is None or view.bearer_auth is None or not backend.broadcast_routes:
        return
    if any(any(guard in (route.middleware or ()) for guard in TOKEN_GUARDS) for route in backend.broadcast_routes):
        return
    route = backend.broadcast_routes[0]
    middleware = ", ".join(route.middleware) if route.middleware else "web (the default)"
    token = f"{view.bearer_auth.file}:{view.bearer_auth.line}"
    yield hit(route.location, f"the frontend authenticates with a bearer token ({token}) but {route.how} runs the "
              f"{middleware} middleware, which reads the session only: /broadcasting/auth answers 403 or redirects "
              "to the login page", "register it with the token guard: Broadcast::routes(['middleware' => "
              "['auth:sanctum']]), or withBroadcasting(..., ['prefix' => 'api', 'middleware' => ['api', "
              "'auth:sanctum']]) with Echo's authEndpoint '/api/broadcasting/auth'")


RULE = Rule(
    id=ID,
    checklist_item="channel-auth",
    title="Token-authenticated frontend, session-only broadcast auth",
    finds="A frontend that sends `Authorization: Bearer ...` (in its Echo/Pusher auth options or request setup) "
    "while every registration of `/broadcasting/auth` (`Broadcast::routes()`, `withBroadcasting()`, "
    "`withRouting(channels:)`) uses the default `web` middleware or others without `auth:sanctum`/`auth:api`.",
    why="The `web` guard reads the session cookie; a request with only a bearer token is a guest to it, so the "
    "channel callback is never reached and Laravel answers 403 (or redirects to login).",
    fix=cause_fix(ID),
    wrong="Broadcast::routes();  // Echo sends Authorization: Bearer <token>",
    right="Broadcast::routes(['middleware' => ['auth:sanctum']]);",
    check=check,
    severity=Severity.WARNING,
)
