"""The checklist, in the order the guide walks it. Each check returns an Outcome and never prints.

`needs` and `uses` make the data flow between checks explicit: a check reads what earlier checks
left in the context, and the registry says which ones. `when` names the run condition that adds a check
(as flutter doctor's validators are each added by a condition): every run has `CHECKS`; `all_checks()`
is the one order of every check a run may have, and `checks_for` picks a run's from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec.structs import replace

from pusher_doctor.checks.auth_endpoint import check_channel_auth
from pusher_doctor.checks.backend import check_backend_broadcasting
from pusher_doctor.checks.channel_security import check_channel_privacy
from pusher_doctor.checks.channels import check_channel_names
from pusher_doctor.checks.client_events import check_client_events
from pusher_doctor.checks.context import CheckContext
from pusher_doctor.checks.delivery import check_delivery
from pusher_doctor.checks.demo_guest import check_demo_guest
from pusher_doctor.checks.live_guest import check_live_guest
from pusher_doctor.checks.rest_api import check_rest_api
from pusher_doctor.checks.settings import check_settings
from pusher_doctor.checks.subscribe import check_subscribe
from pusher_doctor.checks.trigger import check_trigger
from pusher_doctor.checks.user_auth import check_user_auth
from pusher_doctor.checks.websocket import check_websocket
from pusher_doctor.results import Outcome, skipped

if TYPE_CHECKING:
    from pusher_doctor.page.options import PageOptions


class Check(Struct, frozen=True):
    id: str
    title: str
    run: Callable[[CheckContext], Outcome]
    #: ids of checks that must pass (or warn) first; otherwise this one is skipped
    needs: tuple[str, ...] = ()
    #: ids of earlier checks whose findings this one reads when they are there, but can run without
    uses: tuple[str, ...] = ()
    #: the run condition that adds this check (a key of `checks_for`'s conditions); None: every run
    when: str | None = None


CHECKS: tuple[Check, ...] = (
    Check("settings", "Settings", check_settings),
    Check("channels", "Channel names", check_channel_names),
    Check("rest-api", "REST API", check_rest_api, needs=("settings",)),
    # Uses rest-api: on a self-hosted server the WebSocket shares the REST API's host and port, so an
    # unreachable REST server is not dialled again.
    Check("websocket", "WebSocket", check_websocket, needs=("settings",), uses=("rest-api",)),
    Check("live-guest", "Live guest", check_live_guest, needs=("rest-api", "channels")),
    # Private, presence and encrypted channels: the auth endpoint's signature, checked before the server sees it.
    # Needs user-auth when the run has it: a refused sign-in closes the connection (4009).
    Check("channel-auth", "Channel auth", check_channel_auth, needs=("websocket", "channels", "user-auth")),
    Check("subscribe", "Subscribe", check_subscribe, needs=("websocket", "channels", "channel-auth", "user-auth")),
    # Needs subscribe: "anyone can read it" is shown by having read it with the key alone.
    Check("channel-privacy", "Privacy", check_channel_privacy, needs=("subscribe",)),
    # Uses live-guest: without knowing whether a guest is listening (the count unknown), the guard asks
    # or wants --yes; a near miss (live-guest failed, nobody on the room) still has delivery tested.
    Check("trigger", "Trigger", check_trigger, needs=("rest-api", "channels"), uses=("live-guest",)),
    Check("delivery", "Delivery", check_delivery, needs=("subscribe", "trigger")),
    # Last, so that its short wait never eats into delivery's; uses live-guest: a live guest would get the probe.
    Check("client-events", "Client events", check_client_events, needs=("subscribe",), uses=("live-guest",)),
)


_TRIGGER = next(i for i, check in enumerate(CHECKS) if check.id == "trigger")
_DELIVERY = next(i for i, check in enumerate(CHECKS) if check.id == "delivery")
_WEBSOCKET = next(i for i, check in enumerate(CHECKS) if check.id == "websocket")
#: with --user-auth-endpoint, right after the connection opens: pusher-js signs in before subscribing
USER_AUTH = Check("user-auth", "Sign-in", check_user_auth, needs=("websocket",), when="user-auth")
#: a Laravel env file (BROADCAST_CONNECTION) or --via-backend on a Laravel app, after the settings: does it send
#: at all (broadcaster, queue worker)?
BACKEND = Check("backend", "Backend", check_backend_broadcasting, when="backend")
#: `demo`'s own guest, right after delivery: did a real pusher-js client get the message?
DEMO_GUEST = Check("demo-guest", "Demo guest", check_demo_guest, needs=("trigger",), when="demo-guest")


def _in_order(page_before: tuple[Check, ...] = (), page_after: tuple[Check, ...] = ()) -> tuple[Check, ...]:
    """The one order of every check a run may have: CHECKS, with the conditional ones where they belong
    (the page steps are passed in: `checks/page_steps.py` loads only for a run with --page)."""
    return (CHECKS[0], BACKEND, *CHECKS[1:_WEBSOCKET + 1], USER_AUTH, *CHECKS[_WEBSOCKET + 1:_TRIGGER], *page_before,
            *CHECKS[_TRIGGER:_DELIVERY + 1], DEMO_GUEST, *page_after, *CHECKS[_DELIVERY + 1:])


def all_checks() -> tuple[Check, ...]:
    """Every check a run may have, in order: CHECKS with the sign-in, the demo's guest and the page steps
    (`checks/page_steps.py`, loaded only here: a run without --page never imports them)."""
    from pusher_doctor.checks.page_steps import PAGE_AFTER_DELIVERY, PAGE_BEFORE_TRIGGER

    return _in_order(PAGE_BEFORE_TRIGGER, PAGE_AFTER_DELIVERY)


def checks_for(page: PageOptions | None, user_auth: bool = False, demo_guest: bool = False,
               backend: bool = False) -> tuple[Check, ...]:
    """The checklist of one run: each check whose condition holds. The backend's broadcasting with a Laravel
    env file or --via-backend on a Laravel app; the sign-in with --user-auth-endpoint;
    the page steps with --page (the screenshot and the offline test only when asked for); the demo's
    guest step in `demo` when its guest is on the room channel."""
    conditions = {"backend": backend, "user-auth": user_auth, "demo-guest": demo_guest, "page": page is not None,
                  "page-screenshot": page is not None and page.screenshot is not None,
                  "page-offline": page is not None and page.offline_test}
    if not any(conditions.values()):
        return CHECKS
    candidates = all_checks() if page is not None else _in_order()
    return tuple(check for check in candidates if check.when is None or conditions[check.when])


def select_checks(only: tuple[str, ...] = (), skip: tuple[str, ...] = (),
                  checks: tuple[Check, ...] = CHECKS) -> tuple[Check, ...]:
    """The registry with the checks left out by --only/--skip replaced by ones that report so.

    --only keeps the named checks and what they need (they could not run otherwise); a check that
    needs a left-out check is then skipped by the runner as usual. ValueError names an unknown id, or says
    that no check left can run.
    """
    known = [check.id for check in checks]
    unknown = [name for name in (*only, *skip) if name not in known]
    if unknown:
        raise ValueError(f"no check with id {', '.join(unknown)} (ids: {', '.join(known)})")
    by_id = {check.id: check for check in checks}
    wanted = set(known) if not only else set()
    pending = list(only)
    while pending:
        name = pending.pop()
        if name not in wanted and name in by_id:  # a need this run does not have (user-auth) is no need
            wanted.add(name)
            pending.extend(by_id[name].needs)
    wanted -= set(skip)
    if not _can_run(checks, wanted):
        # every check would be skipped: a run that tests nothing must not end "ok" with exit 0
        missing = sorted({need for check in checks if check.id in wanted for need in check.needs
                          if need in by_id and need not in wanted})
        raise ValueError("--only/--skip leave no check that can run" + (
            f": every check left needs {' or '.join(missing)}, which they leave out" if missing else ""))
    return tuple(check if check.id in wanted else replace(check, run=_left_out) for check in checks)


def _can_run(checks: tuple[Check, ...], wanted: set[str]) -> set[str]:
    """The wanted checks whose needs are wanted too (and theirs): the ones a run could start. A need this
    run does not have (user-auth) is no need; needs come before their checks in the registry."""
    known = {check.id for check in checks}
    runnable: set[str] = set()
    for check in checks:
        if check.id in wanted and all(need in runnable or need not in known for need in check.needs):
            runnable.add(check.id)
    return runnable


def _left_out(ctx: CheckContext) -> Outcome:
    return skipped("not run: left out with --only/--skip")
