// The same job as `pusher-doctor check --json`, hand-written with pusher-js: connect, subscribe,
// one signed REST trigger, exit when the event arrives. The startup benchmark's yardstick.
// Usage: node pusherjs_check.cjs HOST PORT APP_ID KEY SECRET CHANNEL
const http = require("http");
const { signedPath } = require("./pusher_rest.cjs");
const Pusher = require("../node/node_modules/pusher-js");

const [host, port, appId, key, secret, channelName] = process.argv.slice(2);
const event = "new-staff-message";

function trigger() {
  const body = JSON.stringify({ name: event, channel: channelName, data: JSON.stringify({ message: "hi" }) });
  const request = http.request({ host, port: Number(port), method: "POST",
    path: signedPath(`/apps/${appId}/events`, body, key, secret), headers: { "Content-Type": "application/json" } });
  request.on("error", () => process.exit(3));
  request.end(body);
}

const pusher = new Pusher(key, { cluster: "mt1", wsHost: host, wsPort: Number(port), forceTLS: false,
  enabledTransports: ["ws"], disableStats: true });
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", trigger);
channel.bind(event, () => { pusher.disconnect(); process.exit(0); });
setTimeout(() => process.exit(2), 10000);
