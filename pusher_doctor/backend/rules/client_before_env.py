"""``client-before-env``: the Python SDK's client is built at import time from ``os.environ`` before the env
file is loaded, so it holds ``None`` for its key, secret or cluster: every trigger fails (or goes to
``mt1``).

An error when the same module calls ``load_dotenv()`` below the client. A warning when the client reads
variables the env file defines and nothing in the code loads that file (no ``load_dotenv``, django-environ,
python-decouple or pydantic-settings): the process gets them only if something outside the code exports them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import PYTHON, Backend
from ..python import dotenv_after
from ._base import Hit, Rule, Severity, cause_fix, hit

ID = "client-before-env"
LANGUAGE = "python"


def check(backend: Backend) -> Iterator[Hit]:
    for client in backend.clients:
        if client.language != PYTHON or not client.module_level or not client.env_reads:
            continue
        later = dotenv_after(backend, client)
        names = ", ".join(client.env_reads)
        if later is not None:
            yield hit(client.location, f"the client is built at import time from {names}, before load_dotenv() "
                      "below it in this file runs: it gets None for them", "call load_dotenv() before building the "
                      "client (at the top of the module, or in settings.py), or build the client in a function")
            continue
        env = backend.env
        defined = [name for name in client.env_reads if env is not None and name in env.values]
        if defined and not backend.env_loads and backend.other_env_loader is None:
            yield hit(client.location, f"the client reads {', '.join(defined)} from os.environ, which "
                      f"{env.rel if env else 'the env file'} defines, but nothing in the code loads that file",
                      "call load_dotenv() in settings.py (or manage.py and wsgi.py) before the client is built",
                      Severity.WARNING)


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="The Pusher client is built before the env file is loaded",
    finds="A module-level `pusher.Pusher(...)` whose arguments read `os.environ`/`os.getenv` while the same module "
    "calls `load_dotenv()` below it (an error), or while nothing in the code loads the env file that defines "
    "those variables (a warning).",
    why="Arguments are read once, when the module is imported. Read before the env file is loaded they are "
    "`None`: the SDK builds a client without a key or cluster and every trigger fails or goes to the wrong "
    "cluster.",
    fix=cause_fix(ID),
    wrong="pusher_client = pusher.Pusher(app_id=os.getenv('PUSHER_APP_ID'), key=os.getenv('PUSHER_KEY'),\n"
    "                              secret=os.getenv('PUSHER_SECRET'), cluster=os.getenv('PUSHER_CLUSTER'))\n"
    "load_dotenv()",
    right="load_dotenv()\npusher_client = pusher.Pusher(app_id=os.getenv('PUSHER_APP_ID'), key=os.getenv('PUSHER_KEY'),\n"
    "                              secret=os.getenv('PUSHER_SECRET'), cluster=os.getenv('PUSHER_CLUSTER'))",
    check=check,
    severity=Severity.ERROR,
)
