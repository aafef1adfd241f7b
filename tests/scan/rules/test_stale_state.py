"""stale-state: a handler bound in an effect updates state from a value captured when the effect ran."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "stale-state"

STALE_HOOK = """
import { useEffect } from 'react';
import { pusher } from '../lib/pusher';

export function usePusherChannel(channelName, eventName, onEvent) {
  useEffect(() => {
    const channel = pusher.subscribe(channelName);
    channel.bind(eventName, onEvent);
    return () => {
      channel.unbind(eventName, onEvent);
      pusher.unsubscribe(channelName);
    };
  }, [channelName, eventName]);
}
"""

VALID = [
    Valid(
        name="through a hook that binds once: the functional update is right",
        filename="src/pages/GuestChat.jsx",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          usePusherChannel(name, 'new-staff-message', (d) => setMessages((prev) => [...prev, d]));
          return messages.length;
        }
        """,
        others={"src/hooks/usePusherChannel.js": STALE_HOOK},
    ),
    Valid(
        name="functional update",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));
          }, [name]);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="the state is a dependency, so the handler is rebound with the fresh value",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', (m) => setMessages([...messages, m]));
          }, [name, messages]);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="a new value that does not use the state",
        code="""
        export function LastMessage({ name }) {
          const [last, setLast] = useState(null);
          useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', (m) => setLast(m));
          }, [name]);
          return last;
        }
        """,
    ),
    Valid(
        name="setter called outside the handler",
        code="""
        export function GuestChat({ name, initial }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            setMessages([...messages, ...initial]);
            pusher.subscribe(name).bind('new-staff-message', show);
          }, [name]);
          return messages.length;
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="through a custom hook that binds its handler once",
        filename="src/pages/GuestChat.jsx",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          usePusherChannel(name, 'new-staff-message', (d) => setMessages([...messages, d]));
          return messages.length;
        }
        """,
        others={"src/hooks/usePusherChannel.js": STALE_HOOK},
        errors=[
            Error(
                rule=RULE,
                line=3,
                column=54,
                severity="error",
                message=("the 'new-staff-message' handler", "usePusherChannel(...) binds its 'onEvent' once"),
            )
        ],
    ),
    Invalid(
        name="spread of the captured list",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', (data) => {
              setMessages([...messages, data]);
            });
          }, []);
          return messages.length;
        }
        """,
        errors=[Error(rule=RULE, line=6, column=7, message=("setMessages([...messages, data])", "deps []"))],
    ),
    Invalid(
        name="concat in a useCallback handler",
        filename="GuestChat.tsx",
        code="""
        export function GuestChat({ name }: { name: string }) {
          const [messages, setMessages] = useState<string[]>([]);
          const onMessage = useCallback((data: string) => setMessages(messages.concat(data)), []);
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind('new-staff-message', onMessage);
          }, [name]);
          return <p>{messages.length}</p>;
        }
        """,
        errors=[Error(rule=RULE, line=3, column=51, message=("messages.concat(data)", "deps [name]"))],
    ),
    Invalid(
        name="React.useState and React.useEffect",
        code="""
        export function GuestChat({ name }) {
          const [count, setCount] = React.useState(0);
          React.useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', () => setCount(count + 1));
          }, [name]);
          return count;
        }
        """,
        errors=[Error(rule=RULE, line=4, message=("setCount(count + 1)",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
