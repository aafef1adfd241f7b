"""Process exit codes: the contract scripts and CI rely on."""

from enum import IntEnum


class ExitCode(IntEnum):
    #: every check passed or only warned; for `scan-frontend`, no finding
    OK = 0
    #: at least one check failed (or crashed); for `scan-frontend`, at least one finding
    PROBLEMS_FOUND = 1
    #: the command line or an input it names is unusable (bad option, missing file)
    USAGE_ERROR = 2
    #: the report could not be written (a full disk, a closed stdout); said on stderr
    OUTPUT_FAILED = 74
    #: stopped by SIGHUP (128 + 1); what was learned so far is still reported, everything started is stopped
    HANGUP = 129
    #: interrupted with Ctrl-C (128 + SIGINT); what was learned so far is still reported
    INTERRUPTED = 130
    #: stopped by SIGTERM (128 + 15), handled like Ctrl-C
    TERMINATED = 143
