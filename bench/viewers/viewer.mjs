// Light viewers (issue 21's benchmark): N players in one Node process, each keeping real-time pace the
// way a browser's media element does, without decoding anything.
//
//   node viewer.mjs CONFIG.json   (written by bench.mjs; prints one JSON result on stdout)
//
// CONFIG: { viewers: [{ url, cookie }], kind: "direct" | "hls", seconds, pace, ahead, startBuffer,
//           resumeBuffer, chunk, stagger, duration }
//
// Each viewer has a play head that moves at `pace` × real time once `startBuffer` seconds of film are
// buffered ahead of it. It asks for more whenever less than `ahead` seconds are buffered, one request at a
// time (as a browser's media element does on one connection):
//   direct: HTTP ranges of `chunk` bytes of the film file; bytes count as they arrive, mapped to film time
//           linearly over the file's media data (the films are encoded at a near-constant bitrate and the
//           index is at the front, so this is close to what a demuxer sees);
//   hls:    the playlist, the init segment, then each segment in turn; a segment counts once whole (hls.js
//           appends whole segments); a 503 "try later" is asked again after its Retry-After.
// A stall is the play head reaching the end of what is buffered before the film ends; playing resumes once
// `resumeBuffer` seconds are buffered again. The client checks its own event loop delay, so a stall it
// caused itself would show.
import http from 'node:http';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const PACE = config.pace ?? 1;
const AHEAD = config.ahead ?? 30;
const START_BUFFER = config.startBuffer ?? 2;
const RESUME_BUFFER = config.resumeBuffer ?? 2;
const CHUNK = config.chunk ?? 2 * 1024 * 1024;
const SECONDS = config.seconds ?? 60;
const STAGGER = config.stagger ?? 3;
const TICK_MS = 50;
const now = () => performance.now() / 1000;
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** One GET with the viewer's session; body bytes are handed to onData as they arrive. */
function get(agent, url, cookie, headers, onData) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { Cookie: cookie, ...headers } }, res => {
      res.on('data', d => onData(d, res));
      res.on('end', () => resolve(res));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(120_000, () => req.destroy(new Error('no answer in 120 s')));
  });
}

/** Where the media data begins: the end of the boxes before 'mdat' in an MP4 (the index with faststart). */
function mdatStart(head) {
  let at = 0;
  while (at + 8 <= head.length) {
    let size = head.readUInt32BE(at);
    const type = head.toString('latin1', at + 4, at + 8);
    if (size === 1 && at + 16 <= head.length) size = Number(head.readBigUInt64BE(at + 8));
    if (type === 'mdat') return at + 8;
    if (size < 8) return 0;
    at += size;
  }
  return 0;
}

class Viewer {
  constructor(index, spec) {
    this.index = index;
    this.url = spec.url;
    this.cookie = spec.cookie;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.duration = config.duration;    // film seconds (from the server's status)
    this.buffered = 0;                  // film seconds buffered from the start
    this.head = 0;                      // play head, film seconds
    this.state = 'starting';
    this.stalls = [];                   // { at: film second, ms }
    this.bytes = 0;
    this.requests = [];                 // { bytes, ms } of each finished request
    this.errors = 0;
    this.retries = 0;
    this.fetching = false;
    this.done = false;
  }

  get ended() { return this.buffered >= this.duration - 0.05; }

  /** Moves the play head to `t` (seconds of the clock), stalling where the buffer runs out. */
  advance(t) {
    if (this.state === 'playing') {
      const to = this.head + (t - this.last) * PACE;
      if (to >= this.buffered && !this.ended) {
        this.head = this.buffered;
        this.state = 'stalled';
        this.stallStart = this.last + (this.buffered - (to - (t - this.last) * PACE)) / PACE;
      } else {
        this.head = Math.min(to, this.duration);
      }
    }
    this.last = t;
    const ahead = this.buffered - this.head;
    if (this.state === 'starting' && (ahead >= START_BUFFER || this.ended)) {
      this.state = 'playing';
      this.startupMs = (t - this.t0) * 1000;
    } else if (this.state === 'stalled' && (ahead >= RESUME_BUFFER || this.ended)) {
      this.state = 'playing';
      this.stalls.push({ at: Math.round(this.head * 10) / 10, ms: Math.round((t - this.stallStart) * 1000) });
    }
  }

  /** More film arrived: the play head first moves to now with the old buffer (it may have stalled meanwhile). */
  grow(buffered) {
    const t = now();
    this.advance(t);
    this.buffered = buffered;
    this.advance(t);
  }

  wantsMore() { return !this.fetching && !this.done && !this.ended && this.buffered - this.head < AHEAD; }

  async run(until) {
    this.t0 = now();
    this.last = this.t0;
    try {
      if (config.kind === 'hls') await this.hlsStart();
      else await this.directStart();
    } catch (e) {
      this.errors++;
      this.error = String(e.message || e);
    }
    while (now() < until && !this.done) {
      this.advance(now());
      if (this.wantsMore()) {
        this.fetching = true;
        const next = config.kind === 'hls' ? this.hlsNext() : this.directNext();
        // A request still open when the viewer's time is up is cut by it, not failed.
        next.catch(e => { if (!this.done) { this.errors++; this.error = String(e.message || e); } })
          .finally(() => { this.fetching = false; this.advance(now()); });
      }
      await sleep(TICK_MS);
    }
    this.advance(now());
    if (this.state === 'stalled') this.stalls.push({ at: Math.round(this.head * 10) / 10, ms: Math.round((now() - this.stallStart) * 1000), open: true });
    this.done = true;
    this.agent.destroy();
  }

  // ---------------------------------------------------------------- direct: HTTP ranges
  async directStart() {
    this.offset = 0;
    await this.directNext();
  }

  async directNext() {
    const from = this.offset;
    const to = this.size ? Math.min(this.size, from + CHUNK) - 1 : from + CHUNK - 1;
    const t = now();
    let got = 0;
    const head = [];
    const res = await get(this.agent, this.url, this.cookie, { Range: `bytes=${from}-${to}` }, (d, r) => {
      if (r.statusCode !== 206) return;
      if (!this.size) this.size = Number(/\/(\d+)$/.exec(r.headers['content-range'])[1]);
      got += d.length;
      this.offset += d.length;
      this.bytes += d.length;
      if (this.dataStart === undefined) {
        // Nothing plays before the index is read: find where 'mdat' begins in the first bytes.
        head.push(d);
        const start = mdatStart(Buffer.concat(head));
        if (start > 0 || this.offset >= 8 * 1024 * 1024) this.dataStart = start;
        else return;
      }
      const media = Math.max(0, this.offset - this.dataStart);
      this.grow(Math.min(this.duration, media / (this.size - this.dataStart) * this.duration));
    });
    if (res.statusCode !== 206) throw new Error(`range ${from}-${to}: HTTP ${res.statusCode}`);
    this.requests.push({ bytes: got, ms: (now() - t) * 1000 });
  }

  // ---------------------------------------------------------------- hls: playlist, init, segments
  async fetchWhole(url) {
    for (;;) {
      const parts = [];
      const t = now();
      const res = await get(this.agent, url, this.cookie, {}, d => parts.push(d));
      if (res.statusCode === 200) {
        const body = Buffer.concat(parts);
        this.bytes += body.length;
        this.requests.push({ bytes: body.length, ms: (now() - t) * 1000 });
        return body;
      }
      if (res.statusCode !== 503 || now() - this.t0 > SECONDS + 60) throw new Error(`${url}: HTTP ${res.statusCode}`);
      this.retries++;
      await sleep(1000 * Number(res.headers['retry-after'] || 2));
    }
  }

  async hlsStart() {
    const text = (await this.fetchWhole(this.url)).toString('utf8');
    const base = new URL(this.url);
    this.segments = [];
    let duration = 0;
    for (const line of text.split('\n')) {
      const map = /^#EXT-X-MAP:URI="([^"]+)"/.exec(line);
      const inf = /^#EXTINF:([\d.]+)/.exec(line);
      if (map) this.init = new URL(map[1], base).href;
      else if (inf) duration = Number(inf[1]);
      else if (line && !line.startsWith('#')) this.segments.push({ url: new URL(line.trim(), base).href, duration });
    }
    this.duration = this.segments.reduce((s, x) => s + x.duration, 0);
    this.nextSegment = 0;
    if (this.init) await this.fetchWhole(this.init);
  }

  async hlsNext() {
    const s = this.segments[this.nextSegment];
    await this.fetchWhole(s.url);
    this.nextSegment++;
    this.grow(this.buffered + s.duration);
  }

  result(seconds, bitrate) {
    const rates = this.requests.filter(r => r.bytes >= 256 * 1024).map(r => r.bytes / (r.ms / 1000));
    rates.sort((a, b) => a - b);
    return {
      viewer: this.index,
      startupMs: this.startupMs === undefined ? null : Math.round(this.startupMs),
      stalls: this.stalls.length,
      stallMs: this.stalls.reduce((s, x) => s + x.ms, 0),
      stallList: this.stalls.slice(0, 5),
      played: Math.round(this.head * 10) / 10,
      bytes: this.bytes,
      sustained: this.bytes / seconds / bitrate,            // × the bitrate, over the viewer's time
      requestRateMedian: rates.length ? rates[rates.length >> 1] / bitrate : null,   // × the bitrate, while a request is open
      requestRateMin: rates.length ? rates[0] / bitrate : null,
      requests: this.requests.length,
      retries: this.retries,
      errors: this.errors,
      error: this.error,
    };
  }
}

async function main() {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const viewers = config.viewers.map((v, i) => new Viewer(i, v));
  // Viewers come in over `stagger` seconds (people do not all press Play in the same millisecond), each for SECONDS.
  await Promise.all(viewers.map(async (v, i) => {
    await sleep(STAGGER * 1000 * i / Math.max(1, viewers.length));
    await v.run(now() + SECONDS);
  }));
  const wall = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const bitrate = config.bitrate;  // bytes per second of the film
  const results = viewers.map(v => v.result(SECONDS, bitrate));
  process.stdout.write(JSON.stringify({
    wall,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    viewers: results,
  }) + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
