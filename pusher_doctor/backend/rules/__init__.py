"""The backend rules, in report order: one module per rule, holding its check and its documentation.

A rule's id is also its cause id (``pusher_doctor.results.causes``), whose fix the rule shows. Order and ids
are stable: the JSON and SARIF reports, the README and ``docs/backend-rules.md`` (generated from
:data:`RULES` by ``python -m pusher_doctor.backend.docs docs/backend-rules.md``) refer to them. To add a rule,
write ``<id_with_underscores>.py`` with a ``check``, a ``RULE`` and the ``LANGUAGE`` of its examples, list it
here, add its cause, its tests under ``tests/backend/rules/`` and regenerate the docs.
"""

from pusher_doctor.backend.rules import (
    broadcast_auth_guard,
    broadcast_payload_unbounded,
    broadcast_queued,
    broadcast_routes_missing,
    broadcaster_disabled,
    channel_no_route,
    channel_not_subscribed,
    client_before_env,
    event_name_mismatch,
    event_not_broadcastable,
    server_client_host,
    to_others_ignored,
    trigger_error_swallowed,
    trigger_in_transaction,
)
from pusher_doctor.scan.rules import Rule

#: does the backend publish at all, then names against the frontend, channel auth, the sender, the payload, the
#: SDK's settings
_MODULES = (
    broadcaster_disabled,
    broadcast_queued,
    event_not_broadcastable,
    trigger_error_swallowed,
    client_before_env,
    trigger_in_transaction,
    event_name_mismatch,
    channel_not_subscribed,
    channel_no_route,
    broadcast_routes_missing,
    broadcast_auth_guard,
    to_others_ignored,
    broadcast_payload_unbounded,
    server_client_host,
)
RULES: tuple[Rule, ...] = tuple(module.RULE for module in _MODULES)
RULES_BY_ID = {rule.id: rule for rule in RULES}
#: the language of each rule's wrong and right examples, for the docs' code blocks
EXAMPLE_LANGUAGE = {module.RULE.id: module.LANGUAGE for module in _MODULES}

__all__ = ["EXAMPLE_LANGUAGE", "RULES", "RULES_BY_ID", "Rule"]
