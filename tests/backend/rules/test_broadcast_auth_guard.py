"""broadcast-auth-guard: a bearer-token frontend against session-only /broadcasting/auth."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "broadcast-auth-guard"

TOKEN_ECHO = {"echo.js": """
    import Echo from 'laravel-echo';
    window.Echo = new Echo({
      broadcaster: 'reverb',
      key: 'k',
      auth: { headers: { Authorization: `Bearer ${token}` } },
    });
    """}
COOKIE_ECHO = {"echo.js": "import Echo from 'laravel-echo';\nwindow.Echo = new Echo({ broadcaster: 'reverb', key: 'k' });\n"}


def provider(call: str) -> dict[str, str]:
    return {**LARAVEL, "app/Providers/BroadcastServiceProvider.php": f"<?php\n{call}\n"}


VALID = [
    Valid(name="token guard on the auth route", files=provider("Broadcast::routes(['middleware' => ['auth:sanctum']]);"),
          frontend=TOKEN_ECHO),
    Valid(name="withBroadcasting with api and sanctum", files={**LARAVEL, "bootstrap/app.php": """
        <?php
        return Application::configure()->withBroadcasting(__DIR__.'/../routes/channels.php',
            ['prefix' => 'api', 'middleware' => ['api', 'auth:sanctum']])->create();
        """}, frontend=TOKEN_ECHO),
    Valid(name="a session (cookie) frontend with the web default", files=provider("Broadcast::routes();"),
          frontend=COOKIE_ECHO),
    Valid(name="a bearer token for another API is not the channel auth's", files=provider("Broadcast::routes();"),
          frontend={**COOKIE_ECHO, "ai.js": "export const ask = (q) => fetch('https://api.example.com/v1', "
                                            "{ headers: { Authorization: `Bearer ${authToken}` } });\n"}),
]

INVALID = [
    Invalid(name="bearer token, default web middleware", files=provider("Broadcast::routes();"), frontend=TOKEN_ECHO,
            errors=[Error(rule=RULE, file="app/Providers/BroadcastServiceProvider.php", line=2,
                          message=("bearer", "web"))]),
    Invalid(name="bearer token, only auth (session guard)",
            files=provider("Broadcast::routes(['middleware' => ['web', 'auth']]);"), frontend=TOKEN_ECHO,
            errors=[Error(rule=RULE, file="app/Providers/BroadcastServiceProvider.php", line=2)]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
