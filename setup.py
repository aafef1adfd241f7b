"""The one part of the build pyproject.toml cannot declare: scan-logs' optional C extension.

`optional=True`: where it cannot be compiled (no compiler or Python headers), the install still succeeds and
scan-logs uses its pure-Python parser, which gives the same output more slowly (docs/triage.md).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("pusher_doctor.triage._logscan", ["pusher_doctor/triage/_logscan.c"],
                             extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
                             optional=True)])
