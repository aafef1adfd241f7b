"""``env-not-defined``: the code reads a Pusher env variable that no env file the scan read defines.

``import.meta.env.VITE_PUSHER_APP_KEY`` with no ``VITE_PUSHER_APP_KEY`` in ``.env``/``.env.local``
is ``undefined`` in the bundle. Only when the scan found env files (without any, it cannot tell what
the build will see), and only for variables with a browser prefix that name Pusher, Echo or Reverb.
The deployment may set the variable elsewhere: a warning, with the files that were read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.scan.envfile import BROWSER_PREFIXES
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.sources import relative_name

_PUSHER_NAME = re.compile(r"PUSHER|ECHO|REVERB")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        env = project.env_of(facts)
        if not env.files:
            continue  # without env files the scan cannot tell what the build sees
        read = ", ".join(relative_name(path, project.root) for path in env.files)
        for name, node in facts.env_reads:
            if name in env.values or not name.startswith(BROWSER_PREFIXES) or not _PUSHER_NAME.search(name):
                continue
            yield hit_at(
                facts,
                node,
                f"{name} is not defined in {read}: the bundle gets undefined (pusher-js then refuses to connect "
                "without a key, or connects to the default cluster)",
                f"define {name} in the env file your build reads (or name that file with --env-file)",
            )


RULE = Rule(
    id="env-not-defined",
    checklist_item="credentials",
    title="A Pusher env variable the code reads is in no env file",
    finds="`import.meta.env.X` or `process.env.X` where X has a browser prefix (`VITE_`, `NEXT_PUBLIC_`, "
    "`REACT_APP_`, `VUE_APP_`, `MIX_`...) and names Pusher, Echo or Reverb, while none of the env files the "
    "scan read defines it. Nothing is reported when no env file was found.",
    why="An undefined key or cluster reaches `new Pusher(undefined, ...)`: no connection, or one to the "
    "wrong cluster, and no error that names the variable.",
    fix="Define the variable in the env file the build reads, spelled as the code reads it.",
    wrong="# .env\nVITE_PUSHER_KEY=3f2a...\n// code\nnew Pusher(import.meta.env.VITE_PUSHER_APP_KEY, { cluster: 'eu' });",
    right="# .env\nVITE_PUSHER_APP_KEY=3f2a...\n// code\n"
    "new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, { cluster: 'eu' });",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
