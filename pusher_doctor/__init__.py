"""pusher-doctor: finds out why a real-time message did not reach its recipient over Pusher Channels."""

__version__ = "0.1.0"
