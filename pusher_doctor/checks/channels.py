"""Step 2: the channel names the backend builds (the contract's, the hotel chat's by default, with a
private-/presence- prefix, or from templates) are valid Pusher channel names."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import channel_name_problem, plan_channels
from pusher_doctor.results import Outcome, failed, passed, problem


def check_channel_names(ctx: CheckContext) -> Outcome:
    request = ctx.request
    for option, value in (("--hotel", request.hotel), ("--room", request.room), ("--conversation", request.conversation)):
        if value is not None and not value.strip():
            return failed(problem("invalid-channel-name", f"{option} is empty", f"give {option} as the backend knows it"))
    try:  # the contract's names, or with --channel-prefix in front, or built from the channel templates
        plan = plan_channels(request.hotel, request.room, request.conversation, request.channel_prefix,
                             request.room_template, request.conversation_template, request.contract,
                             request.fields)
    except ValueError as error:
        return failed(problem("invalid-channel-name", str(error),
                              "use only the contract's fields: " + ", ".join(request.contract.fields)))
    for channel in plan.channels:
        reason = channel_name_problem(channel)
        if reason is not None:
            return failed(problem("invalid-channel-name", reason,
                                  "the backend cannot trigger on this channel: make hotel slugs and room numbers use "
                                  "only A-Z a-z 0-9 _ - = @ , . ; (e.g. slugify them) and keep names within 164 "
                                  "characters"), channel=channel)
    ctx.plan = plan
    return passed(", ".join(plan.channels), *(f"{e.event} on {e.channel}" for e in plan.events))
