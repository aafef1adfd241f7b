"""``trigger-error-swallowed``: a ``trigger(...)`` whose error is thrown away: ``except: pass``,
``except Exception: pass``, a handler that only logs at debug level, Node's ``.catch(() => {})`` or an empty
``catch {}``. A wrong key, secret, cluster or an unreachable host then fails every message in silence.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit

ID = "trigger-error-swallowed"
LANGUAGE = "python"


def check(backend: Backend) -> Iterator[Hit]:
    for trigger in backend.triggers:
        if trigger.swallowed is None:
            continue
        yield hit(trigger.location, f"an error of this trigger is thrown away ({trigger.swallowed}): a wrong "
                  "secret, cluster or host fails every message without a trace",
                  "log it at warning or error level (logger.exception(...)), or let it raise")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="A trigger whose error is thrown away",
    finds="A server SDK `trigger(...)` (Python `pusher`, Node `pusher`) inside a `try` whose handler catches "
    "everything it raises (a bare `except:`, `Exception`, `BaseException`, the SDK's or requests' errors) and "
    "only passes, continues, returns or logs at debug level; in Node, `.catch(() => {})` on its promise or an "
    "empty `catch {}`.",
    why="The trigger is where a wrong secret (401), an unknown app or cluster (404), a payload over 10 KB (413) "
    "or an unreachable host shows. Thrown away, the message is lost and nobody learns why.",
    fix=cause_fix(ID),
    wrong="try:\n    pusher_client.trigger(channel, 'new-message', data)\nexcept Exception:\n    pass",
    right="try:\n    pusher_client.trigger(channel, 'new-message', data)\nexcept Exception:\n"
    "    logger.exception('pusher trigger failed for %s', channel)",
    check=check,
    severity=Severity.WARNING,
)
