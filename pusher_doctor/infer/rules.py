"""The frontend against the app's own contract: scan-frontend's rules for an app that is not the hotel chat.

The hotel-chat rules (wrong-channel, wrong-event, no-guest-subscribe) know the hotel's channels by heart.
With a pusher-doctor.toml these two rules judge the same things against the contract instead; they are
given to scan-frontend's engine like its own rules, and read the facts it extracted.

- `contract-channel`: a subscription whose name can never be one of the contract's channels. An error when
  it is almost one of them (the known mistakes: `orders-5` for `orders.5`, a missing `private-`, `rooms`
  for `room`, a typo); a note when it is like none of them (another feature's channel may be fine).
- `contract-event`: an event bound on one of the contract's channels that the backend never sends there
  (Echo's namespaced `listen('OrderShipped')` for a `broadcastAs` name, an event of another channel).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pusher_doctor.contract import ChannelSpec, Contract, near_miss_reasons
from pusher_doctor.contract.model import EXEMPT_EVENT_PREFIXES, echo_wire_event

if TYPE_CHECKING:
    from pusher_doctor.scan.project import Project
    from pusher_doctor.scan.rules import Hit, Rule
    from pusher_doctor.scan.values import Pattern

#: what stands for an unknown part of a name while it is matched against the templates
HOLE = "\0"


def contract_rules(contract: Contract) -> tuple[Rule, ...]:
    """The two rules for `contract`, as scan-frontend's engine takes them: file by file, as the scan's own
    rules (each looks at one file's subscriptions and binds, those found at its hooks' call sites included),
    so that a scan with an app contract holds one file's syntax tree at a time too."""
    from pusher_doctor.scan.model import Severity
    from pusher_doctor.scan.rules import Rule

    channels = ", ".join(spec.template.text for spec in contract.channels)
    return (
        Rule("contract-channel", "channel-name", "Channel not in the app contract",
             finds=f"a subscription whose name cannot be one of the contract's channels ({channels})",
             why="the backend triggers on the contract's channels only: a page on another name never hears it",
             fix="subscribe to the channel exactly as the contract's template builds it",
             wrong="", right="", check=lambda project: _channels(project, contract), severity=Severity.ERROR,
             per_file=True),
        Rule("contract-event", "event-name", "Event not in the app contract",
             finds="an event bound on one of the contract's channels that the backend never sends there",
             why="a handler bound to an event the backend never sends never runs",
             fix="bind the event as the contract names it (Laravel Echo: listen('.name') for a broadcastAs name)",
             wrong="", right="", check=lambda project: _events(project, contract), severity=Severity.ERROR,
             per_file=True),
    )


def channel_of(pattern: Pattern, contract: Contract) -> ChannelSpec | None:
    """The contract's channel a resolved name can be (its unknown parts may be any field's value)."""
    probe = pattern.probe()
    return next((spec for spec in contract.channels if spec.template.match(probe, hole=HOLE) is not None), None)


def _channels(project: Project, contract: Contract) -> Iterator[Hit]:
    from pusher_doctor.scan.model import Severity
    from pusher_doctor.scan.rules._base import hit_at

    for facts, subscription in project.subscriptions():
        pattern = subscription.channel
        if not pattern.text or channel_of(pattern, contract) is not None:
            continue  # a name made only of unknown parts cannot be judged
        probe, shown = pattern.probe(), pattern.display()
        for spec in contract.channels:
            reasons = near_miss_reasons(probe, spec.template.fill(dict.fromkeys(spec.fields, HOLE)))
            if reasons:
                yield hit_at(facts, subscription.arg,
                             f"subscribes to '{shown}', which is almost the contract's {spec.key} channel "
                             f"{spec.template.text}: {'; '.join(reasons)}",
                             f"subscribe to {spec.template.text}, exactly as the backend builds it")
                break
        else:
            yield hit_at(facts, subscription.arg,
                         f"subscribes to '{shown}', which is none of the contract's channels "
                         f"({', '.join(spec.template.text for spec in contract.channels)})",
                         "add the channel to pusher-doctor.toml if the backend triggers on it, else fix the name",
                         Severity.NOTE)


def _events(project: Project, contract: Contract) -> Iterator[Hit]:
    from pusher_doctor.scan.rules._base import hit_at

    for facts, bind in project.binds():
        event = bind.event.literal
        if not event or event.startswith(EXEMPT_EVENT_PREFIXES) or bind.channel is None:
            continue
        spec = channel_of(bind.channel, contract)
        if spec is None:
            continue  # contract-channel speaks of the channel itself
        wire = echo_wire_event(event) if bind.echo_prefixed else event
        verdict = contract.judge_event(wire, spec)
        if verdict is None:
            continue
        if bind.echo_prefixed and event in verdict.expected:
            # Echo puts its namespace before a name without a leading dot: the backend's broadcastAs name
            problem = (f"listen('{event}') binds '{wire}' (Echo's namespace), but the backend sends '{event}' on "
                       f"{spec.template.text}")
            hint = f"listen('.{event}') with the leading dot"
        else:
            problem, hint = verdict.problem, f"bind '{contract.closest_event(wire, spec)}'"
        yield hit_at(facts, bind.event_node, problem, hint)
