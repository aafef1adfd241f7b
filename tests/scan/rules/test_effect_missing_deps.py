"""effect-missing-deps: an effect's channel is built from state or the route, and its deps leave them out."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "effect-missing-deps"

ROOM = """
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { pusher } from '../lib/pusher';

export function Room() {
  const { roomId } = useParams();
  const [messages, setMessages] = useState([]);
  useEffect(() => {
    const channel = pusher.subscribe(`room-${roomId}`);
    const add = (m) => setMessages((all) => [...all, m]);
    channel.bind('message', add);
    return () => {
      channel.unbind('message', add);
      pusher.unsubscribe(`room-${roomId}`);
    };
  }, %s);
  return messages.length;
}
"""

VALID = [
    Valid(name="the route parameter is a dependency", filename="src/pages/Room.jsx", code=ROOM % "[roomId]"),
    Valid(
        name="a plain prop: whether the parent changes it cannot be told",
        code="""
        export function Room({ roomId }) {
          useEffect(() => {
            const channel = pusher.subscribe(`room-${roomId}`);
            channel.bind('message', add);
            return () => channel.unbind('message', add);
          }, []);
        }
        """,
    ),
    Valid(
        name="a module constant never changes",
        code="""
        const LOBBY = 'lobby';
        export function Lobby() {
          useEffect(() => {
            const channel = pusher.subscribe(`room-${LOBBY}`);
            channel.bind('message', add);
            return () => channel.unbind('message', add);
          }, []);
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="the room comes from the route, the effect runs once",
        filename="src/pages/Room.jsx",
        code=ROOM % "[]",
        errors=[Error(rule=RULE, line=16, message=("'room-{roomId}'", "leave out roomId"))],
    ),
    Invalid(
        name="state the channel is built from",
        code="""
        export function Inbox() {
          const [folder, setFolder] = useState('main');
          useEffect(() => {
            const channel = pusher.subscribe(`inbox-${folder}`);
            channel.bind('mail', add);
            return () => channel.unbind('mail', add);
          }, [add]);
          return <Tabs onChange={setFolder} />;
        }
        """,
        errors=[Error(rule=RULE, line=7, message=("leave out folder",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
