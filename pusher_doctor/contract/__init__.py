"""The app contract: the one place that knows an app's channels (templates with named fields), the events
its backend sends on each, its auth endpoint and its env file.

It builds channel names and parses them back (:mod:`.template`), judges event names and near-miss channel
names (:mod:`.model`, :mod:`.mistakes`), reads `pusher-doctor.toml` or `[tool.pusher-doctor]` (:mod:`.load`)
and writes one (:mod:`.write`, for `pusher-doctor init`). The hotel chat is the built-in default
(:mod:`.hotel`). Pure logic: it imports nothing else of the package, and loading a contract costs only
the standard library's tomllib.
"""

from __future__ import annotations

from pusher_doctor.contract.hotel import HOTEL_CHAT
from pusher_doctor.contract.load import (
    CONTRACT_FILE,
    MAX_CHANNELS,
    MAX_EVENTS,
    ContractError,
    contract_from_table,
    find_contract,
    load_contract,
)
from pusher_doctor.contract.mistakes import near_miss_reasons
from pusher_doctor.contract.model import ChannelSpec, Contract, EventSpec, EventVerdict
from pusher_doctor.contract.names import channel_kind, channel_name_problem, needs_auth, split_prefix
from pusher_doctor.contract.template import ChannelTemplate, TemplateError

__all__ = [
    "CONTRACT_FILE",
    "HOTEL_CHAT",
    "MAX_CHANNELS",
    "MAX_EVENTS",
    "ChannelSpec",
    "ChannelTemplate",
    "Contract",
    "ContractError",
    "EventSpec",
    "EventVerdict",
    "TemplateError",
    "channel_kind",
    "channel_name_problem",
    "contract_from_table",
    "find_contract",
    "load_contract",
    "near_miss_reasons",
    "needs_auth",
    "split_prefix",
]
