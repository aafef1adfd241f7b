"""trigger-error-swallowed: a trigger's error thrown away (Python except, Node .catch/catch)."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "trigger-error-swallowed"

HEAD = "import logging\nimport pusher\n\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"

VALID = [
    Valid(name="logged with its traceback", files={"chat/send.py": HEAD + """
def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except Exception:
        logging.exception('trigger failed')
"""}),
    Valid(name="a narrow exception handled on purpose", files={"chat/send.py": HEAD + """
def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except ValueError:
        pass
"""}),
    Valid(name="re-raised", files={"chat/send.py": HEAD + """
def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except Exception:
        raise
"""}),
    Valid(name="another library's trigger (a state machine) in a file without the SDK", files={"flow.py": """
def advance(machine):
    try:
        machine.trigger('approve', 'now')
    except Exception:
        pass
"""}),
    Valid(name="Node: the promise's error is logged", files={"server.js": """
        import Pusher from 'pusher';
        const pusher = new Pusher({ appId: '1', key: 'k', secret: 's', cluster: 'eu' });
        export const send = (c) => pusher.trigger(c, 'new-message', {}).catch((e) => console.error(e));
        """}),
]

INVALID = [
    Invalid(name="except Exception: pass", files={"chat/send.py": HEAD + """
def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except Exception:
        pass
"""}, errors=[Error(rule=RULE, file="chat/send.py", line=8, message=("except Exception: pass",))]),
    Invalid(name="bare except with logger.debug", files={"chat/send.py": HEAD + """
def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except:
        logging.getLogger(__name__).debug('failed')
"""}, errors=[Error(rule=RULE, file="chat/send.py", line=8)]),
    Invalid(name="the client imported from another module", files={
        "chat/realtime.py": HEAD, "chat/views.py": """
from .realtime import client

def send(channel):
    try:
        client.trigger(channel, 'new-message', {})
    except Exception:
        pass
"""}, errors=[Error(rule=RULE, file="chat/views.py", line=5)]),
    Invalid(name="Node: .catch(() => {})", files={"server.js": """
        import Pusher from 'pusher';
        const pusher = new Pusher({ appId: '1', key: 'k', secret: 's', cluster: 'eu' });
        export const send = (c) => pusher.trigger(c, 'new-message', {}).catch(() => {});
        """}, errors=[Error(rule=RULE, file="server.js", line=3, message=(".catch",))]),
    Invalid(name="Node: an empty catch", files={"server.js": """
        const Pusher = require('pusher');
        const pusher = new Pusher({ appId: '1', key: 'k', secret: 's', cluster: 'eu' });
        async function send(c) {
          try {
            await pusher.trigger(c, 'new-message', {});
          } catch (e) {}
        }
        module.exports = { send };
        """}, errors=[Error(rule=RULE, file="server.js", line=5)]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
