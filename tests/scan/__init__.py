"""Tests of the frontend scan (``pusher_doctor.scan``): per-rule cases under ``rules/``, fixture trees end to end."""
