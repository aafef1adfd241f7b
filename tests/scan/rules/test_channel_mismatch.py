"""channel-mismatch: a name prefixed twice, or an event bound on a channel the app never sends it on."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "channel-mismatch"

ROUTE = """
import Pusher from 'pusher';
const pusher = new Pusher({ appId: '1', key: 'k', secret: process.env.PUSHER_SECRET, cluster: 'eu' });
export async function POST(request: Request) {
  const { groupId, text } = await request.json();
  await pusher.trigger(`presence-group-${groupId}`, 'new-message', { text });
  return Response.json({ ok: true });
}
"""

VALID = [
    Valid(
        name="the page binds on the channel the route triggers on",
        filename="src/components/Group.tsx",
        code="""
        'use client';
        export function Group({ groupId }) {
          useEffect(() => {
            const channel = pusherClient.subscribe(`presence-group-${groupId}`);
            channel.bind('new-message', add);
            return () => channel.unbind('new-message', add);
          }, [groupId]);
        }
        """,
        others={"src/app/api/group/route.ts": ROUTE},
    ),
    Valid(
        name="a name the scan cannot resolve is never taken to differ",
        filename="src/components/Group.tsx",
        code="""
        'use client';
        export function Group({ groupId }) {
          useEffect(() => {
            const channel = pusherClient.subscribe(toKey(groupId));
            channel.bind('new-message', add);
            return () => channel.unbind('new-message', add);
          }, [groupId]);
        }
        """,
        others={"src/app/api/group/route.ts": ROUTE},
    ),
    Valid(
        name="without the app's server code nothing is compared",
        code="pusher.subscribe(`presence-dm-${id}`).bind('new-message', add);",
    ),
    Valid(name="Echo adds the prefix to a bare name", code="Echo.private(`orders.${id}`).listen('.shipped', f);"),
]

INVALID = [
    Invalid(
        name="the route triggers on presence-group-, the page listens on presence-dm-",
        filename="src/components/Group.tsx",
        code="""
        'use client';
        export function Group({ groupId }) {
          useEffect(() => {
            const channel = pusherClient.subscribe(`presence-dm-${groupId}`);
            channel.bind('new-message', add);
            return () => channel.unbind('new-message', add);
          }, [groupId]);
        }
        """,
        others={"src/app/api/group/route.ts": ROUTE},
        errors=[Error(rule=RULE, line=5, message=("'presence-group-{groupId}'", "presence-dm-"))],
    ),
    Invalid(
        name="Echo's private() given a name that already has the prefix",
        filename="resources/js/orders.js",
        code="window.Echo.private(`private-orders.${orderId}`).listen('.shipped', refresh);",
        errors=[Error(rule=RULE, line=1, severity="error", message=("'private-private-'", "Echo adds"))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)


def test_the_apps_triggers_are_walked_once_however_many_binds_ask(tmp_path, monkeypatch):
    # each bind asked for every trigger of its app: binds x channel uses of work on a large app
    from pusher_doctor.scan import scan_frontend
    from pusher_doctor.scan.channel_index import ChannelIndex
    from pusher_doctor.scan.rules import RULES

    (tmp_path / "route.js").write_text(ROUTE)
    for n in range(30):
        (tmp_path / f"Listen{n}.js").write_text(
            f"import {{ pusher }} from './pusher';\nconst channel = pusher.subscribe('room-{n}');\n"
            "channel.bind('new-message', () => {});\n"
        )
    walks = []
    triggers = ChannelIndex.triggers
    monkeypatch.setattr(ChannelIndex, "triggers", lambda self: walks.append(1) or triggers(self))
    rule = [rule for rule in RULES if rule.id == RULE]
    findings = scan_frontend(tmp_path, jobs=1, rules=rule).findings
    assert len(findings) == 30  # each bind is on a channel the route never triggers on
    assert len(walks) == 1


def test_two_binds_at_one_hook_argument_keep_the_message_of_the_channel_indexed_first(tmp_path):
    # useX's parameter is one bind's channel and another's event: both findings are at the call's argument,
    # one is kept there, the first in the app's index of channels ('c', subscribed first) as on the whole
    # project; checked file by file, the hook's own order had kept the other
    from pusher_doctor.scan import scan_frontend

    (tmp_path / "a0.js").write_text("import { pusher } from './pusher';\npusher.subscribe('c');\n")
    (tmp_path / "page.js").write_text(
        "import { useX } from './useX';\nexport function Page() {\n  useX('evt-a');\n  return null;\n}\n"
    )
    (tmp_path / "pusher.js").write_text(
        "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n"
    )
    (tmp_path / "server.js").write_text(
        "const Pusher = require('pusher');\n"
        "const p = new Pusher({ appId: '1', key: 'k', secret: process.env.PUSHER_SECRET, cluster: 'eu' });\n"
        "p.trigger('zzz', 'evt-a', {});\np.trigger('yyy', 'new-staff-message', {});\n"
    )
    (tmp_path / "useX.js").write_text(
        "import { pusher } from './pusher';\nexport function useX(x) {\n  const a = pusher.subscribe(x);\n"
        "  a.bind('new-staff-message', () => {});\n  const c = pusher.subscribe('c');\n  c.bind(x, () => {});\n}\n"
    )
    [finding] = [f for f in scan_frontend(tmp_path, jobs=1).findings if f.rule == RULE]
    assert (finding.file, finding.line) == ("page.js", 3)
    assert finding.message.startswith("binds 'evt-a' on 'c'")
