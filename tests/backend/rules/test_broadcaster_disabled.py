"""broadcaster-disabled: Laravel's broadcaster is log or null, as the env file and config/broadcasting.php say."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "broadcaster-disabled"

EVENT = """
<?php
namespace App\\Events;

use Illuminate\\Broadcasting\\Channel;
use Illuminate\\Contracts\\Broadcasting\\ShouldBroadcastNow;

class PriceChanged implements ShouldBroadcastNow
{
    public function broadcastOn(): array { return [new Channel('prices')]; }
}
"""
CONFIG_10 = """
<?php
return [
    'default' => env('BROADCAST_DRIVER', 'null'),
];
"""

VALID = [
    Valid(name="reverb set as Laravel 11 reads it", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=reverb\n",
                                                             "app/Events/PriceChanged.php": EVENT}),
    Valid(name="Laravel 10's config reads BROADCAST_DRIVER, which is set",
          files={**LARAVEL, ".env": "BROADCAST_DRIVER=pusher\n", "config/broadcasting.php": CONFIG_10,
                 "app/Events/PriceChanged.php": EVENT}),
    Valid(name="an app that broadcasts nothing may keep null", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=null\n",
                                                                      "app/Models/User.php": "<?php\nclass User {}\n"}),
    Valid(name="not a Laravel app", files={".env": "BROADCAST_CONNECTION=log\n", "app/Events/PriceChanged.php": EVENT}),
]

INVALID = [
    Invalid(name="log in the env file", files={**LARAVEL, ".env": "APP_NAME=x\nBROADCAST_CONNECTION=log\n",
                                               "app/Events/PriceChanged.php": EVENT},
            errors=[Error(rule=RULE, file=".env", line=2, message=("'log'",), severity="error")]),
    Invalid(name="BROADCAST_DRIVER set, Laravel 11 reads BROADCAST_CONNECTION",
            files={**LARAVEL, ".env": "BROADCAST_DRIVER=pusher\n", "app/Events/PriceChanged.php": EVENT},
            errors=[Error(rule=RULE, file=".env", line=1, message=("BROADCAST_DRIVER=pusher is not read",))]),
    Invalid(name="nothing set: the config's fallback null",
            files={**LARAVEL, ".env": "APP_NAME=x\n", "config/broadcasting.php": CONFIG_10,
                   "app/Events/PriceChanged.php": EVENT},
            errors=[Error(rule=RULE, file="config/broadcasting.php", line=3, message=("fallback 'null'",))]),
    Invalid(name="only .env.example: a note", files={**LARAVEL, ".env.example": "BROADCAST_CONNECTION=log\n",
                                                     "app/Events/PriceChanged.php": EVENT},
            errors=[Error(rule=RULE, file=".env.example", line=1, message=("the real .env may differ",),
                          severity="note")]),
    Invalid(name="no env file at all: a note", files={**LARAVEL, "app/Events/PriceChanged.php": EVENT},
            errors=[Error(rule=RULE, file="app/Events/PriceChanged.php", line=7, message=("no .env was found",),
                          severity="note")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
