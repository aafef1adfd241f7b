"""event-not-broadcastable: broadcastOn() on a class that is not ShouldBroadcast(Now)."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "event-not-broadcastable"

VALID = [
    Valid(name="implements ShouldBroadcast", files={"app/Events/A.php": """
        <?php
        class A implements \\Illuminate\\Contracts\\Broadcasting\\ShouldBroadcast
        {
            public function broadcastOn() { return new Channel('a'); }
        }
        """}),
    Valid(name="through an interface of the app's own", files={"app/Events/A.php": """
        <?php
        interface Live extends ShouldBroadcastNow {}
        class A implements Live
        {
            public function broadcastOn() { return new Channel('a'); }
        }
        """}),
    Valid(name="a parent outside the scanned code may implement it", files={"app/Events/A.php": """
        <?php
        class A extends PackageEvent
        {
            public function broadcastOn() { return new Channel('a'); }
        }
        """}),
    Valid(name="an Eloquent model broadcasting its changes", files={"app/Models/Post.php": """
        <?php
        class Post
        {
            use BroadcastsEvents;
            public function broadcastOn(string $event) { return [$this]; }
        }
        """}),
]

INVALID = [
    Invalid(name="no interface", files={"app/Events/OrderShipped.php": """
        <?php
        namespace App\\Events;

        class OrderShipped
        {
            public function broadcastOn() { return new PrivateChannel('orders.1'); }
        }
        """}, errors=[Error(rule=RULE, file="app/Events/OrderShipped.php", line=4, message=("OrderShipped",))]),
    Invalid(name="ShouldQueue is not ShouldBroadcast", files={"app/Events/OrderShipped.php": """
        <?php
        class OrderShipped implements ShouldQueue
        {
            public function broadcastOn() { return new PrivateChannel('orders.1'); }
        }
        """}, errors=[Error(rule=RULE, file="app/Events/OrderShipped.php", line=2)]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
