// The same job as `pusher-doctor check --json`, hand-written with pusher-js: connect, subscribe,
// one signed REST trigger, exit when the event arrives. The startup benchmark's yardstick.
// Usage: node pusherjs_check.cjs HOST PORT APP_ID KEY SECRET CHANNEL
const crypto = require("crypto");
const http = require("http");
const Pusher = require("../node/node_modules/pusher-js");

const [host, port, appId, key, secret, channelName] = process.argv.slice(2);
const event = "new-staff-message";

function trigger() {
  // Pusher's REST signature: HMAC-SHA256 of "POST\n<path>\n<sorted query>" with the secret.
  const body = JSON.stringify({ name: event, channel: channelName, data: JSON.stringify({ message: "hi" }) });
  const path = `/apps/${appId}/events`;
  const query = {
    auth_key: key,
    auth_timestamp: Math.floor(Date.now() / 1000).toString(),
    auth_version: "1.0",
    body_md5: crypto.createHash("md5").update(body).digest("hex"),
  };
  const sorted = Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join("&");
  const signature = crypto.createHmac("sha256", secret).update(`POST\n${path}\n${sorted}`).digest("hex");
  const request = http.request({ host, port: Number(port), method: "POST",
    path: `${path}?${sorted}&auth_signature=${signature}`, headers: { "Content-Type": "application/json" } });
  request.on("error", () => process.exit(3));
  request.end(body);
}

const pusher = new Pusher(key, { cluster: "mt1", wsHost: host, wsPort: Number(port), forceTLS: false,
  enabledTransports: ["ws"], disableStats: true });
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", trigger);
channel.bind(event, () => { pusher.disconnect(); process.exit(0); });
setTimeout(() => process.exit(2), 10000);
