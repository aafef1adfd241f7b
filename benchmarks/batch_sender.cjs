// The watch benchmark's producer, apart from the watching process so that the two do not share one
// Python interpreter: N new-staff-message events on CHANNEL as signed batch triggers (BATCH events each:
// Pusher's most is 10, a sandbox server may take more), IN_FLIGHT requests at a time over keep-alive
// connections. With RATE (events/s), batch k is sent no sooner than k * BATCH / RATE seconds after the
// start, so a receiver can be held to a steady rate instead of the producer's most. Prints the seconds taken.
// Usage: node batch_sender.cjs HOST PORT APP_ID KEY SECRET CHANNEL N IN_FLIGHT [BATCH] [RATE]
const http = require("http");
const { signedPath } = require("./pusher_rest.cjs");

const [host, port, appId, key, secret, channel, total, inFlight, batchSize = "10", rateArg = "0"] =
  process.argv.slice(2);
const rate = Number(rateArg);
const size = Number(batchSize);
const count = Number(total);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(inFlight) });
const path = `/apps/${appId}/batch_events`;

function batch(first) {
  const batch = [];
  for (let n = first; n < Math.min(first + size, count); n++) {
    batch.push({ channel, name: "new-staff-message", data: JSON.stringify({ id: n }) });
  }
  const body = JSON.stringify({ batch });
  return new Promise((resolve, reject) => {
    const request = http.request({ host, port: Number(port), method: "POST", agent,
      path: signedPath(path, body, key, secret), headers: { "Content-Type": "application/json" } },
      (response) => {
        response.resume();
        response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
      });
    request.on("error", reject);
    request.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function worker(queue) {
  while (queue.length) {
    const first = queue.shift();
    if (rate > 0) {
      const due = (first / rate) * 1000 - Number(process.hrtime.bigint() - started) / 1e6;
      if (due > 0) await sleep(due);
    }
    await batch(first);
  }
}

const started = process.hrtime.bigint();
const queue = [];
for (let first = 0; first < count; first += size) queue.push(first);
// Batches go out in order from one queue; with several in flight, two may arrive swapped.
Promise.all(Array.from({ length: Number(inFlight) }, () => worker(queue)))
  .then(() => {
    console.log(Number(process.hrtime.bigint() - started) / 1e9);
    agent.destroy();
  })
  .catch((error) => { console.error(String(error)); process.exit(1); });
