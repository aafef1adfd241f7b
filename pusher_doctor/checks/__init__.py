"""The checklist, in the order the guide walks it. Each check returns an Outcome and never prints."""

from pusher_doctor.checks.channels import check_channel_names
from pusher_doctor.checks.delivery import check_delivery
from pusher_doctor.checks.live_guest import check_live_guest
from pusher_doctor.checks.rest_api import check_rest_api
from pusher_doctor.checks.settings import check_settings
from pusher_doctor.checks.subscribe import check_subscribe
from pusher_doctor.checks.trigger import check_trigger
from pusher_doctor.checks.websocket import check_websocket
from pusher_doctor.runner import Check

CHECKS: tuple[Check, ...] = (
    Check("settings", "Settings", check_settings),
    Check("channels", "Channel names", check_channel_names),
    Check("rest-api", "REST API", check_rest_api, needs=("settings",)),
    Check("websocket", "WebSocket", check_websocket, needs=("settings",)),
    Check("live-guest", "Live guest", check_live_guest, needs=("rest-api", "channels")),
    Check("subscribe", "Subscribe", check_subscribe, needs=("websocket", "channels")),
    # Needs live-guest: without knowing whether a guest is listening, we may not message them.
    Check("trigger", "Trigger", check_trigger, needs=("rest-api", "channels", "live-guest")),
    Check("delivery", "Delivery", check_delivery, needs=("subscribe", "trigger")),
)
