"""Runs the checklist: the loop (order, needs, one time budget, crashes), one run's session, and the
verdict. Above the checks, below the CLI."""
