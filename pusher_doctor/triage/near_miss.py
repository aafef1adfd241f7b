"""The near-miss finder's old place, kept for `triage/logs.py` until it imports `pusher_doctor.near_miss`,
where the finder now lives (it is shared with `check`, which may not import the triage engines)."""

from pusher_doctor.near_miss import NearMiss, find_near_misses, near_miss_problem, near_miss_sentence

__all__ = ["NearMiss", "find_near_misses", "near_miss_problem", "near_miss_sentence"]
