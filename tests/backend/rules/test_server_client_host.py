"""server-client-host: the server SDK's client pointed at a wrong host, cluster or scheme."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "server-client-host"


def py(arguments: str) -> dict[str, str]:
    return {"chat/realtime.py": f"import pusher\n\nclient = pusher.Pusher({arguments})\n"}


VALID = [
    Valid(name="Pusher cloud: a cluster", files=py("app_id='1', key='k', secret='s', cluster='eu'")),
    Valid(name="local soketi over plain http", files=py("app_id='1', key='k', secret='s', host='localhost', "
                                                         "port=6001, ssl=False")),
    Valid(name="from_env reads its own settings", files={"a.py": "import pusher\nclient = pusher.Pusher.from_env()\n"}),
    Valid(name="Node: a cluster", files={"server.js": "import Pusher from 'pusher';\nexport const p = new Pusher("
                                                      "{ appId: '1', key: 'k', secret: 's', cluster: 'eu', useTLS: "
                                                      "true });\n"}),
    Valid(name="Node: options from elsewhere", files={"server.js": "import Pusher from 'pusher';\nimport config from "
                                                                   "'./config.js';\nexport const p = new Pusher({ "
                                                                   "...config, appId: '1', secret: 's' });\n"}),
]

INVALID = [
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
                                                          "module.exports = new Pusher({ appId: '1', key: 'k', "
                                                          "secret: 's' });\n"},
            errors=[Error(rule=RULE, file="server.js", line=2)]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
