"""Step 4b, with --user-auth-endpoint: the guest signs in as pusher-js's `signin()` does. The app's
user-authentication endpoint is asked for the connection's signature (a form with socket_id; the answer
{"auth", "user_data"}), which is checked against the secret when it is known, and sent to the server as
`pusher:signin`. Apps that require sign-in close connections that do not sign in (4009)."""

from __future__ import annotations

from pusher_doctor.checks.auth_endpoint import context_authorizer
from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import Outcome, Problem, failed, passed


def check_user_auth(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.guest.socket_id is not None
    endpoint = ctx.request.user_auth_endpoint
    assert endpoint is not None, "the step runs only with --user-auth-endpoint"
    answer = context_authorizer(ctx).sign_in(ctx.guest.socket_id, ctx.deadline.remaining)
    if isinstance(answer, Problem):
        return failed(answer, f"endpoint: {endpoint.shown_url}")
    signed_in = ctx.guest.sign_in(answer, ctx.deadline.remaining())
    if isinstance(signed_in, Problem):
        return failed(signed_in, f"endpoint: {endpoint.shown_url}")
    checked = ("its signature matches PUSHER_SECRET" if ctx.loaded.secret is not None
               else "its signature was not checked here (no PUSHER_SECRET): the server accepted it")
    return passed(f"signed in as user {signed_in.user_id} through the user-auth endpoint "
                  f"({answer.elapsed_ms:.0f} ms); {checked}", f"endpoint: {endpoint.shown_url}",
                  user_id=signed_in.user_id)
