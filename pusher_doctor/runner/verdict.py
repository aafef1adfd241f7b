"""The guide's decision tree (see README): from the checks' results to one sentence that names the broken
link, and says what was not tested."""

from __future__ import annotations

from collections.abc import Sequence

from pusher_doctor.results import CheckResult, Interruption, ObservedEvent, Status

FRONTEND_CHECKLIST = ("check the page's channel name, event name, unmount cleanup and state update "
                      "(`pusher-doctor scan-frontend ./src`)")


def decide(checks: Sequence[CheckResult], events: Sequence[ObservedEvent], interrupted: bool = False,
           interruption: Interruption | None = None) -> str:
    by_id = {c.id: c for c in checks}
    broken = next((c for c in checks if c.status.is_problem), None)
    if broken is not None:
        fix = f" Fix: {broken.outcome.hint}" if broken.outcome.hint else ""
        reading = _page_reading(broken, by_id)
        return f"The chain breaks at {step_name(broken.title)}: {broken.outcome.summary}.{reading}{fix}"
    if interrupted and interruption is not None:
        return (f"Interrupted while {interruption.title} had waited {interruption.waited_ms / 1000:.1f} s for an "
                "answer; the steps before it found no problem. Let --timeout end that wait to have its cause "
                "named.")
    if interrupted:
        return "Interrupted before the checks finished; no problem found so far."
    delivery = by_id.get("delivery")
    if delivery is None or delivery.status is Status.SKIP:
        trigger = by_id.get("trigger")
        if trigger is not None and trigger.status is Status.SKIP:
            working = ", ".join(c.title for c in checks if c.status in (Status.PASS, Status.WARN))
            rerun = " Run with --yes to send it anyway." if "--yes" in trigger.outcome.summary else ""
            return (f"These steps work: {working}. No test message was sent, so delivery was not tested "
                    f"({trigger.outcome.summary}).{rerun}")
        return "No problem found in the steps that ran."
    live = by_id.get("live-guest")
    slowest = max((e.latency_ms or 0 for e in events), default=0)
    # Say exactly what was shown: Pusher took the backend's events and delivered them to our own
    # connection. The backend's own trigger code and the guest page were not exercised.
    # With --via-backend the backend's own runtime and SDK sent them; its code's own broadcasts still were not.
    via_backend = by_id["trigger"].outcome.data.get("via_backend") if "trigger" in by_id else None
    sent = "sent by the backend itself (its runtime and SDK)" if via_backend else "sent as the backend sends them"
    delivered = (f"Pusher accepts and delivers this app's events: the {len(events)} test event(s), {sent}, "
                 f"reached pusher-doctor's own connection (slowest {slowest:.0f} ms).")
    untested = (" Not tested here: whether the app's own code broadcasts them (its events and queue: "
                "`pusher-doctor scan-backend .`)." if via_backend
                else " Not tested here: whether your backend triggers them (read its logs).")
    render = by_id.get("page-render")
    demo_guest = by_id.get("demo-guest")
    if demo_guest is not None and demo_guest.status is Status.PASS:
        return (f"{delivered} The demo's pusher-js guest got it too, "
                f"{demo_guest.outcome.data.get('latency_ms', 0):.0f} ms after the trigger: the whole chain works.")
    if render is not None and render.status is Status.PASS:
        return (f"{delivered} The guest page got it too: the frame reached the page and the message showed "
                f"{render.outcome.data.get('latency_ms', 0):.0f} ms after the trigger, so the frontend works."
                f"{untested}")
    if live is not None and live.status is Status.PASS and live.outcome.data.get("subscribers") == 0:
        return f"{delivered} No guest page was subscribed, as this run expected.{untested}"
    if live is not None and live.status is Status.WARN:
        # Lead with the likely broken link, as flutter doctor leads with what is missing; what works after it.
        return (f"{_capitalized(live.outcome.summary)}: if the guest page is open, it is not subscribed or "
                f"listens elsewhere; {FRONTEND_CHECKLIST}. Pusher itself works: the {len(events)} test event(s) "
                f"reached pusher-doctor's own connection (slowest {slowest:.0f} ms).{untested}")
    return (f"{delivered} A guest page is subscribed: if it still needs a refresh, it binds the wrong event or "
            f"drops the update in state; {FRONTEND_CHECKLIST}.{untested}")


def step_name(title: str) -> str:
    """A check's title inside a sentence: lower case, but an acronym stays one ("REST API", not "rest api")."""
    return " ".join(word if word.isupper() else word.lower() for word in title.split(" "))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


#: the guide's reading of a broken page step, by its cause: where the test message stopped on its way in
_NO_FRAME = " The test message's frame never reached the page: a subscription issue ({step})."
_PAGE_READINGS = {
    "page-not-connected": " The page never connected to the app's server: a connection issue (its key, cluster, "
                          "host or auth), before any subscription.",
    "page-key-mismatch": " The page connects to another app than the backend triggers on: a settings issue in the "
                         "page's build, before any subscription.",
    "page-host-mismatch": " The page connects to another server than the backend triggers on: a settings issue in "
                          "the page's build, before any subscription.",
    "page-not-subscribed": _NO_FRAME,
    "page-wrong-channel": _NO_FRAME,
    "page-subscription-error": _NO_FRAME,
    "page-event-not-received": _NO_FRAME,
    "page-wrong-event": " The page listens for another event name than the backend sends: an event binding issue.",
}


def _page_reading(broken: CheckResult, by_id: dict[str, CheckResult]) -> str:
    """The guide's reading of a broken page step: no connection is a settings issue, no frame a subscription
    issue, the wrong event a binding issue, and a frame that reached the page with nothing shown a state
    update issue."""
    reading = _PAGE_READINGS.get(broken.outcome.cause or "")
    if reading is not None:
        return reading.format(step=step_name(broken.title))
    received = by_id.get("page-receive")
    if broken.id == "page-render" and received is not None and received.status is Status.PASS:
        return " The frame reached the page but the page did not show the message: a state update issue."
    return ""
