// The watch benchmark's other side: a pusher-js guest doing what `watch --json` does with each event, on
// the same channel of the same server: one JSON line per event on stdout (type, time, channel, event,
// data), after one {"type":"notice","kind":"subscribed"} line. It ends at SIGTERM or SIGINT (as the watch
// does) or after SECONDS.
// Usage: node pusherjs_watch.cjs HOST PORT KEY CHANNEL SECONDS  (pusher-js found through NODE_PATH)
const Pusher = require("pusher-js");

const [host, port, key, channelName, seconds] = process.argv.slice(2);
const say = (record) => process.stdout.write(JSON.stringify(record) + "\n");

const pusher = new Pusher(key, { cluster: "mt1", wsHost: host, wsPort: Number(port), forceTLS: false,
  enabledTransports: ["ws"], disableStats: true });
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", () => say({ type: "notice", kind: "subscribed", channel: channelName }));
channel.bind_global((event, data) => {
  if (event.startsWith("pusher:")) return;
  say({ type: "event", time: new Date().toISOString(), channel: channelName, event, data });
});
const end = () => { pusher.disconnect(); process.stdout.write("", () => process.exit(0)); };
process.on("SIGTERM", end);
process.on("SIGINT", end);
setTimeout(end, Number(seconds) * 1000);
