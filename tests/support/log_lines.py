"""Backend log lines as the hotel chat's Django backend writes them, generated in bulk for the scan-logs
tests and benchmark: every message complete except every `broken`-th, which is never triggered to the
guest's channel, with foreign noise between them."""

from __future__ import annotations

from collections.abc import Iterator


def django_log(messages: int, noise_per_message: int = 8, broken: int = 0) -> Iterator[bytes]:
    """Lines (bytes, newline-terminated) for `messages` messages of hotel-paradise."""
    noise = [b'[2026-11-24 10:15:01,902] INFO django.server: "GET /api/rooms/%d/ HTTP/1.1" 200 512\n',
             (b"[2026-11-24 10:15:01,950] DEBUG django.db.backends: (0.001) SELECT \"chat_room\".\"id\" FROM "
             b"\"chat_room\" WHERE \"chat_room\".\"number\" = %d LIMIT 21; args=(101,)\n")]
    for n in range(messages):
        room = 100 + n % 50
        yield (f"[2026-11-24 10:15:02,114] INFO chat.views: ✅ Message created: id={n} conversation={n % 70} "
               f"room={room} hotel=hotel-paradise\n").encode()
        for i in range(noise_per_message // 2):
            yield noise[i % 2] % room
        if not (broken and n % broken == 0):
            yield (f"[2026-11-24 10:15:02,140] INFO chat.pusher: 📡 Pusher triggered: channel=hotel-paradise-room-"
                   f"{room}-chat event=new-staff-message message_id={n}\n").encode()
        yield f"[2026-11-24 10:15:02,301] INFO chat.fcm: 📱 FCM sent: message_id={n} token=dGhpcyBpcyBub3Q\n".encode()
        for i in range(noise_per_message - noise_per_message // 2):
            yield noise[i % 2] % room
        yield (f"[2026-11-24 10:15:02,322] INFO chat.pusher: 📡 Pusher triggered: channel=hotel-paradise-"
               f"conversation-{n % 70}-chat event=new-message message_id={n}\n").encode()
