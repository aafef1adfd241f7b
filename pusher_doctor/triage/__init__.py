"""The triage commands' engines: `rooms`, `watch`, `scan-logs`, `trigger` and `latency`. `model` holds
their results as plain data; `near_miss` is shared with `check`'s live-guest step."""
