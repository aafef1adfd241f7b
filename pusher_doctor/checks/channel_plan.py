"""Step 2 with private channels: the guide's channel names, checked as before, then with `--channel-prefix`
in front or replaced by `--room-channel`/`--conversation-channel` templates, as the backend builds them.

(The guide's check stays in channels.py; this runs it first so that its findings about the slugs keep
their wording, and only then builds the names the app really uses.)"""

from __future__ import annotations

from pusher_doctor.checks.channels import check_channel_names
from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import channel_name_problem, plan_channels
from pusher_doctor.results import Outcome, Status, failed, passed, problem


def check_channel_plan(ctx: CheckContext) -> Outcome:
    request = ctx.request
    guide = check_channel_names(ctx)
    if guide.status is Status.FAIL or not (request.channel_prefix or request.room_template
                                           or request.conversation_template):
        return guide
    ctx.plan = None
    try:
        plan = plan_channels(request.hotel, request.room, request.conversation, request.channel_prefix,
                             request.room_template, request.conversation_template)
    except ValueError as error:
        return failed(problem("invalid-channel-name", str(error), "use only {hotel}, {room} and {conversation}"))
    for channel in plan.channels:
        if (reason := channel_name_problem(channel)) is not None:
            return failed(problem("invalid-channel-name", reason), channel=channel)
    ctx.plan = plan
    return passed(", ".join(plan.channels), *(f"{e.event} on {e.channel}" for e in plan.events))
