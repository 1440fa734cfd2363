// A user-space delay relay for the playback benchmark's latency variant (this kernel has no netem):
// listens on 127.0.0.1, forwards every connection to 127.0.0.1:--to, and holds each chunk --delay ms
// in each direction (so --delay 25 adds 50 ms of round-trip time). Order is kept; a slow receiver
// pauses the sender (back-pressure), nothing is dropped. Prints "RELAY <port>" once listening.
//   node relay.mjs --to PORT --delay MS
import net from 'node:net';

const arg = name => { const i = process.argv.indexOf('--' + name); return i > 0 ? process.argv[i + 1] : undefined; };
const TO = Number(arg('to'));
const DELAY = Number(arg('delay') || 25);
if (!TO) { console.error('usage: relay.mjs --to PORT --delay MS'); process.exit(2); }

/** Copies from → to, each chunk DELAY ms after it arrived. */
function delayed(from, to) {
  const queue = [];
  let timer = null;
  let waitingDrain = false;
  const flush = () => {
    timer = null;
    const now = Date.now();
    while (queue.length && queue[0].at <= now) {
      const { data } = queue.shift();
      if (data === null) { to.end(); return; }
      if (!to.write(data) && !waitingDrain) {
        waitingDrain = true;
        from.pause();
        to.once('drain', () => { waitingDrain = false; from.resume(); });
      }
    }
    if (queue.length) timer = setTimeout(flush, Math.max(0, queue[0].at - Date.now()));
  };
  const push = data => {
    queue.push({ at: Date.now() + DELAY, data });
    if (!timer) timer = setTimeout(flush, Math.max(0, queue[0].at - Date.now()));
  };
  from.on('data', d => push(d));
  from.on('end', () => push(null));
}

const server = net.createServer(client => {
  const upstream = net.connect(TO, '127.0.0.1');
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  delayed(client, upstream);
  delayed(upstream, client);
  const close = () => { client.destroy(); upstream.destroy(); };
  for (const s of [client, upstream]) { s.on('error', close); s.on('close', close); }
});
server.listen(0, '127.0.0.1', () => console.log(`RELAY ${server.address().port}`));
