"""Allows `python -m pusher_doctor`."""

from pusher_doctor.cli import main

main()
