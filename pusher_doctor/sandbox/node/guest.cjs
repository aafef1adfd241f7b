// A real pusher-js guest page, minus the page: subscribes to a channel, binds one event and reports
// on stdout, one JSON object a line: {"type":"subscribed"}, {"type":"event",...}, {"type":"timeout"},
// {"type":"error",...}, {"type":"subscription_error",...}. It exits after the event or at TIMEOUT_MS, so
// a guest whose parent died still ends.
// Usage: node guest.cjs HOST PORT KEY CHANNEL EVENT TIMEOUT_MS [AUTH_ENDPOINT]
// AUTH_ENDPOINT: the app's auth endpoint for private channels, asked as a browser page asks it.
// pusher-js is found through NODE_PATH (this script ships in the Python package, apart from node_modules).
const Pusher = require("pusher-js");

const [host, port, key, channelName, eventName, timeoutMs, authEndpoint] = process.argv.slice(2);
const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");

const options = {
  cluster: "mt1",
  wsHost: host,
  wsPort: Number(port),
  forceTLS: false,
  enabledTransports: ["ws"],
  disableStats: true,
};
if (authEndpoint) {
  options.channelAuthorization = { endpoint: authEndpoint, transport: "ajax" };
}
const pusher = new Pusher(key, options);
pusher.connection.bind("error", (error) => say({ type: "error", error: String(error && error.type) }));
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", () => say({ type: "subscribed" }));
channel.bind("pusher:subscription_error", (status) => say({ type: "subscription_error", status: String(status && status.status) }));
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
