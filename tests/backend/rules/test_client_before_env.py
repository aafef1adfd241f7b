"""client-before-env: the Python client built from os.environ before the env file is loaded."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "client-before-env"

CLIENT = """client = pusher.Pusher(app_id=os.getenv('PUSHER_APP_ID'), key=os.environ['PUSHER_KEY'],
                       secret=os.environ.get('PUSHER_SECRET'), cluster='eu')
"""
ENV = "PUSHER_APP_ID=1\nPUSHER_KEY=k\nPUSHER_SECRET=s\n"

VALID = [
    Valid(name="load_dotenv first", files={"chat/realtime.py": "import os\nimport pusher\nfrom dotenv import "
                                           "load_dotenv\n\nload_dotenv()\n" + CLIENT, ".env": ENV}),
    Valid(name="built in a function, at the first trigger", files={
        "chat/realtime.py": "import os\nimport pusher\n\n\ndef client():\n    return pusher.Pusher(app_id=os.getenv('A'))\n",
        "hotel/settings.py": "from dotenv import load_dotenv\nload_dotenv()\n", ".env": ENV}),
    Valid(name="Django settings, not os.environ", files={
        "chat/realtime.py": "import pusher\nfrom django.conf import settings\n\nclient = pusher.Pusher("
                            "app_id=settings.PUSHER_APP_ID, key=settings.PUSHER_KEY, secret=settings.PUSHER_SECRET)\n",
        ".env": ENV}),
    Valid(name="settings.py loads the env file (import order decides, not judged)", files={
        "chat/realtime.py": "import os\nimport pusher\n\n" + CLIENT,
        "hotel/settings.py": "from dotenv import load_dotenv\nload_dotenv()\n", ".env": ENV}),
]

NODE_CLIENT = ("import Pusher from 'pusher';\nexport const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, "
               "key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'eu' });\n")
VALID += [
    Valid(name="Node: import 'dotenv/config' first", files={"src/pusher.js": NODE_CLIENT, "src/index.js":
                                                           "import 'dotenv/config';\nimport { pusher } from './pusher.js';\n"}),
    Valid(name="Node: CommonJS requires run in order", files={
        "src/pusher.js": "const Pusher = require('pusher');\nmodule.exports = new Pusher({ appId: process.env.A, "
                         "cluster: 'eu' });\n",
        "src/index.js": "require('dotenv').config();\nconst pusher = require('./pusher');\n"}),
]

INVALID = [
    Invalid(name="Node: dotenv.config() after an ES import of the client's module", files={
        "src/pusher.js": NODE_CLIENT,
        "src/index.js": "import dotenv from 'dotenv';\nimport { pusher } from './pusher.js';\n\ndotenv.config();\n"},
            errors=[Error(rule=RULE, file="src/index.js", line=2, message=("PUSHER_APP_ID", "ES imports run first"))]),
    Invalid(name="Node: dotenv.config() below the client in one file", files={
        "server.js": "const Pusher = require('pusher');\nconst pusher = new Pusher({ key: process.env.PUSHER_KEY, "
                     "cluster: 'eu' });\nrequire('dotenv').config();\n"},
            errors=[Error(rule=RULE, file="server.js", line=2, message=("dotenv.config()",))]),
    Invalid(name="load_dotenv below the client", files={
        "chat/realtime.py": "import os\nimport pusher\nfrom dotenv import load_dotenv\n\n" + CLIENT + "load_dotenv()\n",
        ".env": ENV}, errors=[Error(rule=RULE, file="chat/realtime.py", line=5, message=("PUSHER_APP_ID",),
                                    severity="error")]),
    Invalid(name="the env file is never loaded", files={
        "chat/realtime.py": "import os\nimport pusher\n\n" + CLIENT, ".env": ENV},
        errors=[Error(rule=RULE, file="chat/realtime.py", line=4, message=("nothing in the code loads",),
                      severity="warning")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
