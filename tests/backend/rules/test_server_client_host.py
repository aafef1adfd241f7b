"""server-client-host: the server SDK's client pointed at a wrong host, cluster or scheme."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "server-client-host"


def py(arguments: str) -> dict[str, str]:
    return {"chat/realtime.py": f"import pusher\n\nclient = pusher.Pusher({arguments})\n",
            "chat/views.py": "from .realtime import client\n\ndef send():\n    client.trigger('c', 'e', {})\n"}


VALID = [
    Valid(name="Pusher cloud: a cluster", files=py("app_id='1', key='k', secret='s', cluster='eu'")),
    Valid(name="local soketi over plain http", files=py("app_id='1', key='k', secret='s', host='localhost', "
                                                         "port=6001, ssl=False")),
    Valid(name="a client that only signs auth answers needs no cluster", files={
        "auth.py": "import pusher\n\ndef signer():\n    return pusher.Pusher(app_id='1', key='k', secret='s')\n\n"
                   "def auth(request):\n    return signer().authenticate(request.POST['channel_name'], "
                   "request.POST['socket_id'])\n"}),
    Valid(name="from_env reads its own settings", files={"a.py": "import pusher\nclient = pusher.Pusher.from_env()\n"}),
    Valid(name="Node: a cluster", files={"server.js": "import Pusher from 'pusher';\nexport const p = new Pusher("
                                                      "{ appId: '1', key: 'k', secret: 's', cluster: 'eu', useTLS: "
                                                      "true });\n"}),
    Valid(name="Node: options from elsewhere", files={"server.js": "import Pusher from 'pusher';\nimport config from "
                                                                   "'./config.js';\nexport const p = new Pusher({ "
                                                                   "...config, appId: '1', secret: 's' });\n"}),
]

REVERB = "BROADCAST_CONNECTION=reverb\nREVERB_APP_KEY=k\nREVERB_HOST=localhost\nREVERB_PORT=8080\n"
VALID += [
    Valid(name="Laravel: Reverb over plain http locally", files={**LARAVEL, ".env": REVERB + "REVERB_SCHEME=http\n"}),
    Valid(name="Laravel: Pusher with a cluster", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=pusher\n"
                                                                           "PUSHER_APP_CLUSTER=eu\n"}),
    Valid(name="Laravel: broadcasting is off, its host is not judged", files={**LARAVEL, ".env": "BROADCAST_CONNECTION"
                                                                                               "=log\nPUSHER_HOST=x\n"}),
]

INVALID = [
    Invalid(name="Laravel: Reverb's scheme left at https", files={**LARAVEL, ".env": REVERB},
            errors=[Error(rule=RULE, file=".env", line=3, message=("https://localhost:8080", "defaults to https"))]),
    Invalid(name="Laravel: a scheme in PUSHER_HOST", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=pusher\n"
                                                                             "PUSHER_HOST=http://127.0.0.1\n"},
            errors=[Error(rule=RULE, file=".env", line=2, severity="error")]),
    Invalid(name="Laravel: Pusher without a cluster", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=pusher\n"
                                                                               "PUSHER_APP_KEY=k\n"},
            errors=[Error(rule=RULE, file=".env", line=2, message=("mt1",))]),
    Invalid(name="no cluster, no host", files=py("app_id='1', key='k', secret='s'"),
            errors=[Error(rule=RULE, file="chat/realtime.py", line=3, message=("mt1",), severity="warning")]),
    Invalid(name="a scheme in host", files=py("app_id='1', key='k', secret='s', host='https://soketi.example.com'"),
            errors=[Error(rule=RULE, file="chat/realtime.py", line=3, severity="error")]),
    Invalid(name="the WebSocket host", files=py("app_id='1', key='k', secret='s', host='ws-eu.pusher.com'"),
            errors=[Error(rule=RULE, file="chat/realtime.py", line=3, message=("WebSocket",))]),
    Invalid(name="https by default to a local Reverb", files=py("app_id='1', key='k', secret='s', host='localhost', "
                                                                "port=8080"),
            errors=[Error(rule=RULE, file="chat/realtime.py", line=3, message=("ssl",))]),
    Invalid(name="Node: neither cluster nor host", files={"server.js": "const Pusher = require('pusher');\n"
                                                          "const pusher = new Pusher({ appId: '1', key: 'k', "
                                                          "secret: 's' });\npusher.trigger('c', 'e', {});\n"},
            errors=[Error(rule=RULE, file="server.js", line=2)]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
