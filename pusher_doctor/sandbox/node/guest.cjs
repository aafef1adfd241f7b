// A real pusher-js guest page, minus the page: subscribes to a channel, binds one event and reports
// on stdout, one JSON object a line: {"type":"subscribed"}, {"type":"event",...}, {"type":"timeout"}.
// Usage: node guest.cjs HOST PORT KEY CHANNEL EVENT TIMEOUT_MS
const Pusher = require("pusher-js");

const [host, port, key, channelName, eventName, timeoutMs] = process.argv.slice(2);
const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");

const pusher = new Pusher(key, {
  cluster: "mt1",
  wsHost: host,
  wsPort: Number(port),
  forceTLS: false,
  enabledTransports: ["ws"],
  disableStats: true,
});
pusher.connection.bind("error", (error) => say({ type: "error", error: String(error && error.type) }));
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", () => say({ type: "subscribed" }));
channel.bind(eventName, (data) => {
  say({ type: "event", event: eventName, data });
  pusher.disconnect();
  process.exit(0);
});
setTimeout(() => {
  say({ type: "timeout" });
  pusher.disconnect();
  process.exit(2);
}, Number(timeoutMs));
