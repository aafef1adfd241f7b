"""Facts about Pusher use in one parsed file: clients, subscriptions, binds, teardowns, effects, state.

:func:`extract` reads a file once; the rules (:mod:`pusher_doctor.scan.rules`) start from these facts
and look further into the tree around them where they need to (the enclosing function, a handler's
body, a dependency's declaration).

One module per concern: ``clients``, ``channels`` (subscriptions and binds), ``teardowns``,
``effects`` (React effects, Vue unmount hooks), ``state`` (component state and setters), ``roles``
(what each enclosing function is), ``records`` (the fact types) and ``collect`` (the order they run in).
"""

from .collect import extract
from .records import Bind, Client, Component, Effect, FileFacts, Func, Role, Subscription, Teardown

__all__ = [
    "Bind",
    "Client",
    "Component",
    "Effect",
    "FileFacts",
    "Func",
    "Role",
    "Subscription",
    "Teardown",
    "extract",
]
