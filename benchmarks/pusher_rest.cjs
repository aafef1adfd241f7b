// Pusher's REST request signing for the benchmarks' node scripts: HMAC-SHA256 of
// "POST\n<path>\n<sorted query>" with the secret, over the body's MD5.
const crypto = require("crypto");

// The path with its signed query string, for POSTing `body` to `path` (/apps/<id>/events or /batch_events).
function signedPath(path, body, key, secret) {
  const query = {
    auth_key: key,
    auth_timestamp: Math.floor(Date.now() / 1000).toString(),
    auth_version: "1.0",
    body_md5: crypto.createHash("md5").update(body).digest("hex"),
  };
  const sorted = Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join("&");
  const signature = crypto.createHmac("sha256", secret).update(`POST\n${path}\n${sorted}`).digest("hex");
  return `${path}?${sorted}&auth_signature=${signature}`;
}

module.exports = { signedPath };
