"""The triage commands' engines: `rooms`, `watch`, `scan-logs`, `trigger` and `latency`, and the facts of a
ticket report. `model` holds their results as plain data; `near_miss` is shared with `check`."""
