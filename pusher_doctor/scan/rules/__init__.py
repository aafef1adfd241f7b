"""The scan rules, in report order: one module per rule, holding its check and its documentation.

Order and ids are stable: the JSON report, the README and ``docs/scan-rules.md`` (generated from
:data:`RULES` by ``python -m pusher_doctor.scan.docs docs/scan-rules.md``) refer to them. To add a
rule, write ``<id_with_underscores>.py`` with a ``check`` and a ``RULE``, list it here, add its tests
under ``tests/scan/rules/`` and regenerate the docs.
"""

from . import (
    client_in_render,
    cluster_mismatch,
    early_unsubscribe,
    key_mismatch,
    missing_cluster,
    no_guest_subscribe,
    stale_state,
    unbind_all,
    wrong_channel,
    wrong_event,
)
from ._base import Hit, Rule

RULES: tuple[Rule, ...] = (
    no_guest_subscribe.RULE,
    wrong_channel.RULE,
    wrong_event.RULE,
    early_unsubscribe.RULE,
    stale_state.RULE,
    client_in_render.RULE,
    unbind_all.RULE,
    key_mismatch.RULE,
    cluster_mismatch.RULE,
    missing_cluster.RULE,
)

RULES_BY_ID = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Hit", "Rule"]
