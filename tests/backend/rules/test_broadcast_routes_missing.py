"""broadcast-routes-missing: channel routes without /broadcasting/auth."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "broadcast-routes-missing"

CHANNELS = {"routes/channels.php": "<?php\nBroadcast::channel('chat.{id}', fn ($user, $id) => true);\n"}
PROVIDER = {"app/Providers/BroadcastServiceProvider.php": """
    <?php
    namespace App\\Providers;

    class BroadcastServiceProvider extends ServiceProvider
    {
        public function boot(): void
        {
            Broadcast::routes();
            require base_path('routes/channels.php');
        }
    }
    """}


def app_config(line: str) -> dict[str, str]:
    return {"config/app.php": f"<?php\nreturn [\n    'providers' => [\n        {line}\n    ],\n];\n"}


VALID = [
    Valid(name="Laravel 11: withRouting(channels:)", files={**LARAVEL, **CHANNELS, "bootstrap/app.php": """
        <?php
        return Application::configure(basePath: dirname(__DIR__))
            ->withRouting(web: __DIR__.'/../routes/web.php', channels: __DIR__.'/../routes/channels.php')
            ->create();
        """}),
    Valid(name="the provider is loaded", files={**LARAVEL, **CHANNELS, **PROVIDER,
                                                **app_config("App\\Providers\\BroadcastServiceProvider::class,")}),
]

INVALID = [
    Invalid(name="no registration anywhere", files={**LARAVEL, **CHANNELS},
            errors=[Error(rule=RULE, file="routes/channels.php", line=2, severity="warning")]),
    Invalid(name="the provider is commented out in config/app.php",
            files={**LARAVEL, **CHANNELS, **PROVIDER, **app_config("// App\\Providers\\BroadcastServiceProvider::class,")},
            errors=[Error(rule=RULE, file="app/Providers/BroadcastServiceProvider.php", line=8, severity="error")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
