"""Whole backend trees shaped like real apps (Laravel with Reverb, Django, a Node server), each broken in the
ways issue #19's reports were, and a corrected copy of the first two: every finding named at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.backend.engine import scan_backend

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _found(name: str) -> set[tuple[str, str, int, str]]:
    report = scan_backend(FIXTURES / name).report
    assert report.skipped == () and report.incomplete is None
    return {(f.rule, f.file, f.line, str(f.severity)) for f in report.findings}


def test_the_broken_laravel_app() -> None:
    assert _found("laravel") == {
        ("broadcaster-disabled", ".env", 2, "error"),  # BROADCAST_DRIVER where Laravel 11 reads BROADCAST_CONNECTION
        ("channel-not-subscribed", "app/Events/MessageSent.php", 20, "error"),  # presence sent, private joined
        ("event-not-broadcastable", "app/Events/OrderShipped.php", 7, "error"),
        ("to-others-ignored", "app/Http/Controllers/MessageController.php", 14, "warning"),
        ("broadcast-auth-guard", "bootstrap/app.php", 9, "warning"),  # a bearer token, the web guard
        ("event-name-mismatch", "resources/js/chat.js", 2, "error"),  # listen('MessageSent') for broadcastAs
        ("channel-no-route", "resources/js/chat.js", 3, "error"),
    }


def test_the_corrected_laravel_app_has_only_a_note_about_its_worker() -> None:
    assert _found("laravel_ok") == {("broadcast-queued", ".env", 3, "note")}


def test_the_broken_django_app() -> None:
    assert _found("django") == {
        ("client-before-env", "chat/realtime.py", 6, "error"),
        ("server-client-host", "chat/realtime.py", 6, "warning"),
        ("trigger-error-swallowed", "chat/views.py", 16, "warning"),
        ("trigger-in-transaction", "chat/views.py", 16, "warning"),
        ("trigger-error-swallowed", "chat/views.py", 25, "warning"),  # only logger.debug
        ("event-name-mismatch", "static/js/guest.js", 7, "error"),  # new_staff_message
    }


def test_the_corrected_django_app_is_clean() -> None:
    assert _found("django_ok") == set()


def test_a_node_server_with_the_pusher_sdk() -> None:
    assert _found("node") == {
        ("server-client-host", "server.js", 4, "error"),  # a scheme in host
        ("trigger-error-swallowed", "server.js", 15, "warning"),  # .catch(() => {})
        ("channel-not-subscribed", "server.js", 15, "warning"),  # order-{id} sent, order.{id} subscribed
        ("event-name-mismatch", "public/app.js", 6, "error"),
    }


def test_a_frontend_elsewhere_is_compared_and_its_paths_lead_there(tmp_path: Path) -> None:
    scan = scan_backend(FIXTURES / "django", FIXTURES / "django" / "static")
    assert scan.frontend == "static" and scan.frontend_files == 1
    assert any(f.file == "static/js/guest.js" for f in scan.report.findings)


@pytest.mark.parametrize("comment", ["# pusher-doctor-ignore trigger-in-transaction -- sent on purpose",
                                     "# pusher-doctor-ignore"])
def test_a_python_comment_silences_a_line(tmp_path: Path, comment: str) -> None:
    (tmp_path / "views.py").write_text(
        "import pusher\nfrom django.db import transaction\nc = pusher.Pusher(app_id='1', key='k', secret='s', "
        f"cluster='eu')\nwith transaction.atomic():\n    {comment}\n    c.trigger('a', 'b', {{}})\n")
    report = scan_backend(tmp_path).report
    assert report.findings == () and report.suppressed == 1


def test_read_backend_gives_the_facts_a_contract_is_inferred_from() -> None:
    from pusher_doctor.backend import read_backend

    backend = read_backend(FIXTURES / "laravel_ok")
    sent = {event.wire_name: [channel.name.display() for channel in event.channels] for event in backend.events}
    assert sent == {"message.sent": ["private-chat.{room_id}"], "App\\Events\\OrderShipped": ["private-orders.{orderId}"]}
    assert [route.pattern for route in backend.routes] == ["chat.{roomId}", "orders.{orderId}"]
    django = read_backend(FIXTURES / "django_ok")
    assert {(t.channels[0].display(), t.event.literal) for t in django.triggers} == {
        ("{hotel_slug}-room-{room_number}-chat", "new-staff-message"),
        ("{hotel_slug}-conversation-{conversation_id}-chat", "message-delivered")}
