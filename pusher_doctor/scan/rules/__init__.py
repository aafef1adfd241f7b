"""The scan rules, in report order: one module per rule, holding its check and its documentation.

Order and ids are stable: the JSON report, the README and ``docs/scan-rules.md`` (generated from
:data:`RULES` by ``python -m pusher_doctor.scan.docs docs/scan-rules.md``) refer to them. To add a
rule, write ``<id_with_underscores>.py`` with a ``check`` and a ``RULE``, list it here, add its tests
under ``tests/scan/rules/`` and regenerate the docs.

Every rule here checks one file at a time (``per_file``: see :class:`~pusher_doctor.scan.rules._base.Rule`):
what it needs of the other files it asks of the project (apps, imports, the channel index, hooks' call
sites, :meth:`~pusher_doctor.scan.project.Project.memo` for what it works out once per app) or keeps in its
``note``; what belongs to no scanned file (a line of an env file) it reports in ``finish``.
"""

from pusher_doctor.scan.rules import (
    auth_header_read_once,
    channel_mismatch,
    client_in_render,
    client_not_disconnected,
    cluster_mismatch,
    early_unsubscribe,
    echo_event_prefix,
    effect_missing_deps,
    env_not_defined,
    key_mismatch,
    missing_cluster,
    mount_without_teardown,
    no_guest_subscribe,
    relative_auth_endpoint,
    secret_in_browser,
    shared_channel_unsubscribed,
    stale_state,
    subscribe_never_left,
    teardown_mismatch,
    unbind_all,
    unmount_while_shown,
    watch_subscribe,
    wrong_channel,
    wrong_event,
)
from pusher_doctor.scan.rules._base import Hit, Rule

#: the hotel-chat contract first, then event names, lifecycle, state, clients, credentials
RULES: tuple[Rule, ...] = (
    no_guest_subscribe.RULE,
    wrong_channel.RULE,
    wrong_event.RULE,
    echo_event_prefix.RULE,
    channel_mismatch.RULE,
    early_unsubscribe.RULE,
    teardown_mismatch.RULE,
    mount_without_teardown.RULE,
    effect_missing_deps.RULE,
    shared_channel_unsubscribed.RULE,
    watch_subscribe.RULE,
    subscribe_never_left.RULE,
    unmount_while_shown.RULE,
    stale_state.RULE,
    client_in_render.RULE,
    client_not_disconnected.RULE,
    unbind_all.RULE,
    auth_header_read_once.RULE,
    relative_auth_endpoint.RULE,
    secret_in_browser.RULE,
    key_mismatch.RULE,
    cluster_mismatch.RULE,
    missing_cluster.RULE,
    env_not_defined.RULE,
)

RULES_BY_ID = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Hit", "Rule"]
