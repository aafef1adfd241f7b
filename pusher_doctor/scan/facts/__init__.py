"""Facts about Pusher use in one parsed file: clients, subscriptions, binds, teardowns, effects, state.

:func:`extract` reads a file once; the rules (:mod:`pusher_doctor.scan.rules`) start from these facts
and look further into the tree around them where they need to (the enclosing function, a handler's
body, a dependency's declaration).

One module per concern: ``clients`` (pusher-js, Echo, the server SDK, and who owns each), ``channels``
(subscriptions and binds, pusher-js's and Echo's), ``teardowns``,
``effects`` (React effects, Vue unmount hooks), ``state`` (component state and setters), ``roles``
(what each enclosing function is), ``records`` (the fact types) and ``collect`` (the order they run in).
"""

from pusher_doctor.scan.facts.collect import (
    extract,
    forget_lookups,
    may_hold_pusher,
    packed,
    prepare_light_read,
    read_facts,
    slim_copy,
    slimmed,
    unpacked,
)
from pusher_doctor.scan.facts.records import (
    LARAVEL_ECHO,
    PUSHER_JS,
    Bind,
    Client,
    Component,
    Effect,
    FileFacts,
    Func,
    Import,
    Owner,
    Role,
    ServerClient,
    SlimFacts,
    Subscription,
    SummaryFacts,
    Teardown,
    Trigger,
    text_digest,
)

__all__ = [
    "LARAVEL_ECHO",
    "PUSHER_JS",
    "Bind",
    "Client",
    "Component",
    "Effect",
    "FileFacts",
    "Func",
    "Import",
    "Owner",
    "Role",
    "ServerClient",
    "SlimFacts",
    "Subscription",
    "SummaryFacts",
    "Teardown",
    "Trigger",
    "extract",
    "forget_lookups",
    "may_hold_pusher",
    "packed",
    "prepare_light_read",
    "read_facts",
    "slim_copy",
    "slimmed",
    "text_digest",
    "unpacked",
]
