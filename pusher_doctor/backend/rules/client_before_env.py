"""``client-before-env``: the Python SDK's client is built at import time from ``os.environ`` before the env
file is loaded, so it holds ``None`` for its key, secret or cluster: every trigger fails (or goes to
``mt1``).

An error when the same module calls ``load_dotenv()`` below the client. A warning when the client reads
variables the env file defines and nothing in the code loads that file (no ``load_dotenv``, django-environ,
python-decouple or pydantic-settings): the process gets them only if something outside the code exports them.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import NODE, PYTHON, Backend, EnvLoad, ServerClient
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit

ID = "client-before-env"
LANGUAGE = "python"


def check(backend: Backend) -> Iterator[Hit]:
    yield from _hoisted(backend)
    for client in backend.clients:
        if not client.module_level or not client.env_reads:
            continue
        later = dotenv_after(backend, client)
        names = ", ".join(client.env_reads)
        if later is not None:
            loader, fix = _LOADS[client.language]
            yield hit(client.location, f"the client is built at import time from {names}, before {loader} "
                      "below it in this file runs: it gets undefined for them", fix)
            continue
        if client.language != PYTHON:
            continue
        env = backend.env
        defined = [name for name in client.env_reads if env is not None and name in env.values]
        if defined and not backend.env_loads and backend.other_env_loader is None:
            yield hit(client.location, f"the client reads {', '.join(defined)} from os.environ, which "
                      f"{env.rel if env else 'the env file'} defines, but nothing in the code loads that file",
                      "call load_dotenv() in settings.py (or manage.py and wsgi.py) before the client is built",
                      Severity.WARNING)


#: what loads the env file in each language, and how to load it in time
_LOADS = {
    PYTHON: ("load_dotenv()", ("call load_dotenv() before building the client (at the top of the module, or in "
                              "settings.py), or build the client in a function")),
    NODE: ("dotenv.config()", "import 'dotenv/config' first, or build the client in a function"),
}


def dotenv_after(backend: Backend, client: ServerClient) -> EnvLoad | None:
    """A top-level env-file load in the client's file that runs after the client is built."""
    for load in backend.env_loads:
        if load.file == client.location.file and load.module_level and load.start_byte > client.start_byte:
            return load
    return None


def _hoisted(backend: Backend) -> Iterator[Hit]:
    clients = {client.location.file: client for client in backend.clients
               if client.language == NODE and client.module_level and client.env_reads}
    for where, file in backend.hoisted:
        client = clients.get(file)
        if client is None:
            continue
        yield hit(where, f"this import runs {file} before dotenv.config() below it: its client is built from "
                  f"{', '.join(client.env_reads)} while they are still undefined (ES imports run first)",
                  "import 'dotenv/config' as the first import, or build the client in a function")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="The Pusher client is built before the env file is loaded",
    finds="A module-level `pusher.Pusher(...)` whose arguments read `os.environ`/`os.getenv` while the same module "
    "calls `load_dotenv()` below it (an error), or while nothing in the code loads the env file that defines "
    "those variables (a warning). In Node, a top-level `new Pusher({...})` reading `process.env` before "
    "`dotenv.config()` in the same file, or in a module that a file calling `dotenv.config()` brings in with an "
    "ES `import` (imports run before the importing file's body: an error).",
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
