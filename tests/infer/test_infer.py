"""init's inference: the contract as a frontend's real code shows it (tree-sitter through scan-frontend's engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.contract import HOTEL_CHAT
from pusher_doctor.infer import Inferred, draft, infer_contract
from pusher_doctor.infer.backend import infer_backend
from pusher_doctor.infer.frontend import field_name

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_laravel_apps_echo_channels_events_auth_endpoint_and_env_file() -> None:
    found = infer_contract(FIXTURES / "laravel")
    contract = found.contract
    assert not found.fallback and contract.keys == ("orders", "announcements")
    orders = contract.channel("orders")
    assert orders.template.text == "private-orders.{order}"
    # .listen('.order.shipped') is broadcastAs's name; listen('OrderCancelled') is Echo's namespaced class
    assert orders.event_names == ("order.shipped", "App\\Events\\OrderCancelled")
    assert contract.channel("announcements").event_names == ("announced",)
    assert contract.auth_endpoint == "/broadcasting/auth"  # Echo's default
    assert contract.env_file == FIXTURES / "laravel" / ".env"
    assert any("resources/js/orders.js:2" in note for note in found.notes["orders"])


def test_the_hotel_chats_frontend_gives_its_room_channel() -> None:
    found = infer_contract(FIXTURES / "hotel")
    room = found.contract.recipient_channel
    assert room.template.text == "{hotel}-room-{room}-chat" and room.event_names == ("new-staff-message",)
    assert found.contract.auth_endpoint == "https://api.example.com/pusher/auth"
    assert found.contract.env_file is None


def test_nothing_to_infer_from_gives_the_hotel_chat_saying_so(tmp_path: Path) -> None:
    found = infer_contract(tmp_path)
    assert found.fallback and found.contract.channels == HOTEL_CHAT.channels
    assert "built-in hotel chat" in found.notes[""][0]
    assert any("no JavaScript, TypeScript or Vue files" in note for note in found.notes[""])


def test_a_name_that_is_no_template_and_an_event_with_no_channel_are_left_out_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(
        "import Pusher from 'pusher-js';\nconst p = new Pusher('k', {cluster: 'eu'});\n"
        "p.subscribe('has space').bind('x', f);\n"
        "p.subscribe('feed').bind('posted', f);\np.subscribe('alerts').bind('raised', f);\n"
        "someChannel().bind('lost', f);\n")
    found = infer_contract(tmp_path)
    assert found.contract.keys == ("feed", "alerts")
    assert any("'has space'" in note and "left out" in note for note in found.notes[""])


def test_a_backend_inferrer_plugs_in_after_the_frontend(tmp_path: Path) -> None:
    def backend(root: Path) -> Inferred:
        found = Inferred("the backend")
        found.channel("private-App.Models.User.{user}").add_event("Illuminate\\Notifications\\Events\\X")
        found.channel("private-App.Models.User.{user}").seen_at.append("routes/channels.php:5")
        return found

    found = infer_contract(tmp_path, backend=backend)
    assert not found.fallback and found.contract.recipient_channel.template.text == "private-App.Models.User.{user}"
    assert found.contract.recipient == "models"


@pytest.mark.parametrize(("label", "name"), [
    ("hotelSlug", "hotel"), ("roomNumber", "room"), ("props.conversationId", "conversation"),
    ("order.id", "order"), ("this.userId", "user"), ("getTeam()", "team"), ("x[0]", "x"), ("42", "value"),
])
def test_a_fields_name_says_what_it_identifies(label: str, name: str) -> None:
    assert field_name(label) == name
    assert field_name(label, {name}) == name + "2"


BACKEND_FIXTURES = Path(__file__).resolve().parents[1] / "backend" / "fixtures"


def test_a_laravel_channel_both_sides_name_is_one_channel_with_the_events_the_backend_sends() -> None:
    found = infer_contract(BACKEND_FIXTURES / "laravel_ok", backend=infer_backend)
    contract = found.contract
    assert contract.keys == ("channel", "orders")
    # the page's `{room}` and the event class's `{$this->message->room_id}` are one channel
    assert contract.channel("channel").template.text == "private-chat.{room}"
    assert contract.channel("channel").event_names == ("message.sent",)  # broadcastAs's name
    assert contract.channel("orders").event_names == ("App\\Events\\OrderShipped",)  # the class's full name
    assert any("app/Events/MessageSent.php" in note for note in found.notes["channel"])


def test_the_backends_events_replace_an_event_only_the_page_binds_and_a_comment_names_it() -> None:
    found = infer_contract(BACKEND_FIXTURES / "django", backend=infer_backend)
    room = found.contract.recipient_channel
    assert room.template.text == "{hotel}-room-{room}-chat"
    assert room.event_names == ("new-staff-message",)  # the page binds new_staff_message; the backend sends this
    assert any("never sent" in note and "new_staff_message" in note for note in found.notes[room.key])
    # a channel only the backend sends on is in the contract too
    assert found.contract.channel("conversation").event_names == ("message-delivered",)


def test_a_listening_source_adds_its_events_to_a_channel_of_the_same_shape(tmp_path: Path) -> None:
    def page(root: Path) -> Inferred:
        found = Inferred("another page")
        found.channel("orders.{id}").add_event("order-paid")
        return found

    def first(root: Path) -> Inferred:
        found = Inferred("the first page")
        found.channel("orders.{order}").add_event("order-shipped")
        return found

    merged = draft([first(tmp_path), page(tmp_path)], tmp_path).contract
    assert merged.keys == ("orders",)
    assert merged.channel("orders").event_names == ("order-shipped", "order-paid")


def test_a_folder_with_no_backend_code_says_nothing(tmp_path: Path) -> None:
    found = infer_backend(tmp_path)
    assert found.channels == [] and found.sends
