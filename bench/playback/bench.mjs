// Playback benchmark (issue 6): Chromium (Playwright) plays films from a local rate-limited swarm through
// Hypertube, through peerflix (a competitor, in the benchmark only) and from local disk (the floor).
// Run through run.sh, which makes the films, checks the jars and cleans up every process on exit.
//
// Per measured run a fresh torrent (the film hard-linked under a new name, so a new info-hash: nothing
// cached by info-hash in the server, the seeders or peerflix carries over), 4 fresh libtorrent seeders
// each limited to --rate bytes/s, and a film row of its own (no watch position to resume from).
//
//   node bench.mjs --films DIR --work DIR --jar app/target/hypertube.jar --cli torrent/target/torrent-cli.jar
//                  [--rounds 3] [--seeders 4] [--rate 2000000] [--played 60] [--out results.json]
//                  [--tests seek,bytes,scrub] [--kinds direct,remux,transcode] [--only ours,peerflix,floor]
//                  [--tight 1.3] [--delay-ms 25] [--jar2 other/hypertube.jar --label2 main]
// Variants (issue 22):
//   --tight F     all seeders together upload F × the film's bitrate (size / duration), split evenly;
//   --delay-ms D  every seeder is reached through relay.mjs, which holds each chunk D ms in each
//                 direction (2 D of round-trip time); the seeders do not announce, the benchmark
//                 announces the relays' ports to the tracker in their place;
//   scrub         (in --tests) five seeks 0.4 s apart (20, 85, 35, 50, 70 % of the film), then the time
//                 until playing at the last one, against a single seek to 70 % ("seek");
//   --jar2 J      a second server (e.g. the engine at main) runs the same steps in the same run, as
//                 client "ours@<label2>", on its own port, data folder and browser context.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cliArgs, freePort, processes, run, sleep } from '../lib/processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = cliArgs();
const FILMS = args.films;
const WORK = args.work;
const JAR = args.jar;
const CLI = args.cli;
const ROUNDS = Number(args.rounds || 3);
const SEEDERS = Number(args.seeders || 4);
const RATE = Number(args.rate || 2_000_000);
const PLAYED = Number(args.played || 60);
const ONLY = (args.only || 'ours,peerflix,floor').split(',');
const TESTS = (args.tests || 'seek,bytes').split(',');
const TIGHT = args.tight ? Number(args.tight) : null;
const DELAY_MS = Number(args['delay-ms'] || 0);
const JAR2 = args.jar2 || null;
const LABEL2 = args.label2 || 'main';
const SCRUB = [0.2, 0.85, 0.35, 0.5, 0.7];
const KINDS = (args.kinds || 'direct,remux,transcode').split(',');
const JAVA = process.env.JAVA25 || '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java';
const PY = '/usr/bin/python3';
const FILE = { direct: 'direct.mp4', remux: 'remux.mkv', transcode: 'hevc.mkv' };

const log = (...m) => console.log(new Date().toISOString().slice(11, 23), ...m);

// ------------------------------------------------------------------ processes (all killed on exit)
const { start, stop, killAll } = processes(WORK);

function lineWith(p, re, ms) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}`)), ms);
    const on = d => {
      buf += d;
      const m = buf.match(re);
      if (m) { clearTimeout(timer); p.stdout.off('data', on); resolve(m); }
    };
    p.stdout.on('data', on);
    p.once('exit', code => { clearTimeout(timer); reject(new Error(`exited (${code}) before ${re}`)); });
  });
}
async function waitHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not yet */ }
    await sleep(200);
  }
  throw new Error('no answer from ' + url);
}
// ------------------------------------------------------------------ swarm
let trackerUrl;
async function startTracker() {
  const port = await freePort();
  const p = start(JAVA, ['-XX:+UseSerialGC', '-jar', CLI, 'tracker', '--bind', '127.0.0.1', '--port', String(port), '--interval', '2'],
    { logName: 'tracker.log' });
  trackerUrl = `http://127.0.0.1:${port}/announce`;
  const end = Date.now() + 30000;
  while (Date.now() < end) {
    if (await new Promise(r => { const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); })) return p;
    await sleep(200);
  }
  throw new Error('tracker did not start');
}

/** A new torrent of the film (new name, so a new info-hash) and its seeders; resolves once the tracker lists them all. */
async function swarm(kind, tag) {
  const dir = path.join(WORK, 'seed', tag);
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(FILE[kind]);
  const file = path.join(dir, `${path.basename(FILE[kind], ext)}-${tag}${ext}`);
  if (!fs.existsSync(file)) fs.linkSync(path.join(FILMS, FILE[kind]), file);
  const torrent = path.join(WORK, 'seed', tag + '.torrent');
  await run(JAVA, ['-XX:+UseSerialGC', '-jar', CLI, 'create', '--tracker', trackerUrl, '-o', torrent, file]);
  const magnet = (await run(PY, ['-c', 'import libtorrent as lt,sys; print(lt.make_magnet_uri(lt.torrent_info(sys.argv[1])))', torrent])).trim();
  const hash = magnet.match(/btih:([0-9a-fA-F]{40})/)[1].toLowerCase();
  const seeders = [];
  const stats = [];
  const rate = seederRate(kind);
  for (let i = 0; i < SEEDERS; i++) {
    const s = path.join(WORK, 'seed', `${tag}.up${i}`);
    stats.push(s);
    seeders.push(start(PY, [path.join(here, 'seeder.py'), '--save', dir, '--torrent', torrent, '--upload-limit', String(rate),
      '--stats', s, ...(DELAY_MS ? ['--no-announce'] : [])], { logName: `seeder-${tag}.log` }));
  }
  const ports = (await Promise.all(seeders.map(p => lineWith(p, /LISTEN (\d+)/, 120000)))).map(m => Number(m[1]));
  const addrs = ports.map(p => `127.0.0.1:${p}`); // where the seeders are reached (their relays with --delay-ms)
  if (DELAY_MS) {
    // Each seeder behind its own delay relay; the relay's port is what the tracker hands out.
    for (let i = 0; i < ports.length; i++) {
      const relay = start(process.execPath, [path.join(here, 'relay.mjs'), '--to', String(ports[i]), '--delay', String(DELAY_MS)],
        { logName: `relay-${tag}.log` });
      seeders.push(relay);
      const relayPort = Number((await lineWith(relay, /RELAY (\d+)/, 30000))[1]);
      addrs[i] = `127.0.0.1:${relayPort}`;
      const peerId = encodeURIComponent(`-BR0001-${tag}-${i}`.padEnd(20, 'x').slice(0, 20));
      const ih = hash.match(/../g).map(b => '%' + b).join('');
      const r = await fetch(`${trackerUrl}?info_hash=${ih}&peer_id=${peerId}&port=${relayPort}&uploaded=0&downloaded=0&left=0&event=started&compact=1`);
      if (!r.ok) throw new Error('announce of relay failed: ' + r.status);
    }
  }
  // Every seeder announced: the scrape of our tracker counts them.
  const scrape = trackerUrl.replace('/announce', '/scrape') + '?info_hash=' + hash.match(/../g).map(b => '%' + b).join('');
  const end = Date.now() + 20000;
  for (;;) {
    const body = Buffer.from(await (await fetch(scrape)).arrayBuffer()).toString('latin1');
    const m = body.match(/8:completei(\d+)e/);
    if (m && Number(m[1]) >= SEEDERS) break;
    if (Date.now() > end) throw new Error('seeders did not all announce: ' + body);
    await sleep(100);
  }
  const size = fs.statSync(file).size;
  return {
    magnet, hash, size, dir, rate, addrs,
    uploaded: () => stats.reduce((sum, s) => { try { return sum + Number(fs.readFileSync(s, 'utf8').split(' ')[0]); } catch { return sum; } }, 0),
    close: async () => { await Promise.all(seeders.map(p => stop(p))); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Upload limit of each seeder: --rate, or with --tight the film's bitrate × F shared by the seeders. */
const DURATION = {};
function seederRate(kind) {
  if (!TIGHT) return RATE;
  const file = path.join(FILMS, FILE[kind]);
  return Math.round(TIGHT * fs.statSync(file).size / DURATION[kind] / SEEDERS);
}
async function durations() {
  for (const kind of Object.keys(FILE)) {
    const out = await run('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path.join(FILMS, FILE[kind])]);
    DURATION[kind] = Number(out.trim());
  }
}

// ------------------------------------------------------------------ local servers: fake YTS list, floor (disk)
function fakeYts() {
  const movies = Array.from({ length: 48 }, (_, i) => ({
    id: 9100 + i, imdb_code: `tt${9100000 + i}`, title: `Bench Film ${i + 1}`, title_long: `Bench Film ${i + 1} (2001)`,
    year: 2001, rating: 6.5, runtime: 6, genres: ['Drama'], summary: `Playback benchmark film ${i + 1}.`, torrents: [],
  }));
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let body;
    if (u.pathname.endsWith('/list_movies.json')) {
      const page = Number(u.searchParams.get('page') || 1);
      body = { status: 'ok', status_message: 'Query was successful',
        data: page === 1 ? { movie_count: movies.length, limit: 50, page_number: 1, movies } : { movie_count: movies.length, limit: 50, page_number: page } };
    } else if (u.pathname.endsWith('/movie_details.json')) {
      const m = movies.find(x => String(x.id) === u.searchParams.get('movie_id') || x.imdb_code === u.searchParams.get('imdb_id'));
      body = { status: 'ok', status_message: 'Query was successful', data: { movie: m || { id: 0 } } };
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
}

const PLAYER_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bench player</title></head>'
  + '<body><video id="video" controls playsinline width="1280" height="720"></video></body></html>';
function floorServer() {
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/player.html') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' }).end(PLAYER_PAGE);
      return;
    }
    if (u.pathname !== '/film.mp4') { res.writeHead(404).end(); return; }
    const file = path.join(FILMS, FILE.direct);
    const size = fs.statSync(file).size;
    const m = /bytes=(\d*)-(\d*)/.exec(req.headers.range || '');
    const headers = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
    if (!m) {
      res.writeHead(200, { ...headers, 'Content-Length': size });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
      return;
    }
    let from = m[1] === '' ? size - Number(m[2]) : Number(m[1]);
    let to = m[1] === '' || m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
    res.writeHead(206, { ...headers, 'Content-Length': to - from + 1, 'Content-Range': `bytes ${from}-${to}/${size}` });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file, { start: from, end: to }).pipe(res);
  });
}
const listen = server => new Promise(r => server.listen(0, '127.0.0.1', () => r(server.address().port)));

// ------------------------------------------------------------------ the browser side
// Media events and presented frames (requestVideoFrameCallback), all on the epoch clock shared with this process.
const INSTRUMENT = `(() => {
  const b = window.__bench = { ev: [], frames: [] };
  const now = () => performance.timeOrigin + performance.now();
  for (const type of ['loadstart', 'loadedmetadata', 'loadeddata', 'canplay', 'playing', 'waiting', 'seeking', 'seeked', 'pause', 'error', 'stalled']) {
    document.addEventListener(type, e => {
      if (e.target instanceof HTMLMediaElement) b.ev.push({ type, t: now(), ct: e.target.currentTime });
    }, true);
  }
  const watch = v => {
    const cb = (ts, meta) => { b.frames.push({ t: now(), mt: meta.mediaTime }); if (b.frames.length < 50000) v.requestVideoFrameCallback(cb); };
    v.requestVideoFrameCallback(cb);
  };
  document.addEventListener('DOMContentLoaded', () => { const v = document.getElementById('video'); if (v) watch(v); });
})();`;

/**
 * The page's requests to the server under test, for the timeline (epoch ms, the clock of t0 and of the
 * page's marks): when each was sent, its Range header, when its response headers came, when it ended.
 */
function netMarks(page, match) {
  const marks = [];
  const byReq = new Map();
  page.on('request', req => {
    if (!match(req.url())) return;
    const m = { path: new URL(req.url()).pathname, method: req.method(), range: req.headers().range || null, sent: Date.now() };
    byReq.set(req, m);
    marks.push(m);
  });
  page.on('response', res => { const m = byReq.get(res.request()); if (m) { m.status = res.status(); m.headers = Date.now(); } });
  page.on('requestfinished', req => { const m = byReq.get(req); if (m) m.ended = Date.now(); });
  page.on('requestfailed', req => { const m = byReq.get(req); if (m) m.ended = Date.now(); });
  return marks;
}
/** The marks as ms from t0 (and from the last seek), plus the page's media events. */
function timeline(marks, t0, seekT, ev) {
  const rel = (x, from) => x == null ? null : Math.round(x - from);
  const out = marks.map(m => ({ path: m.path.replace(/^\/films\/\d+/, ''), method: m.method, range: m.range,
    sent: rel(m.sent, t0), headers: rel(m.headers, t0), ended: rel(m.ended, t0),
    ...(seekT && m.sent >= seekT ? { sentAfterSeek: rel(m.sent, seekT), headersAfterSeek: rel(m.headers, seekT) } : {}) }));
  const first = type => { const e = ev.find(x => x.type === type && x.t >= t0); return e ? Math.round(e.t - t0) : null; };
  return { requests: out, loadstart: first('loadstart'), loadedmetadata: first('loadedmetadata'), loadeddata: first('loadeddata') };
}

/** Waits until playing has started after t0 and frames advance; then either seeks to 70 % or plays PLAYED s. */
async function measure(page, t0, mode, swarmState) {
  const result = {};
  await page.waitForFunction(t0 => window.__bench.ev.some(e => e.type === 'playing' && e.t >= t0), t0, { timeout: 90000, polling: 20 });
  await page.waitForFunction(() => {
    const f = window.__bench.frames;
    return f.length > 1 && f[f.length - 1].mt - f[0].mt >= 0.2;
  }, null, { timeout: 60000, polling: 20 });
  const b = await page.evaluate(() => window.__bench);
  const playing = b.ev.find(e => e.type === 'playing' && e.t >= t0);
  result.playMs = playing.t - t0;
  result.firstFrameMs = b.frames[0].t - t0;
  result.advancingMs = b.frames.find(f => f.mt - b.frames[0].mt >= 0.2).t - t0;
  if (mode === 'seek' || mode === 'scrub') {
    await sleep(2000);
    // seek: one jump to 70 %; scrub: five jumps 0.4 s apart, the last to 70 % (measured from the last).
    const fractions = mode === 'seek' ? [0.7] : SCRUB;
    let first = null;
    let seek = null;
    for (let i = 0; i < fractions.length; i++) {
      if (i > 0) await sleep(400);
      seek = await page.evaluate(f => {
        const v = document.getElementById('video');
        const target = v.duration * f;
        const t = performance.timeOrigin + performance.now();
        v.currentTime = target;
        return { t, target, duration: v.duration };
      }, fractions[i]);
      first = first || seek;
    }
    await page.waitForFunction(s => {
      const b = window.__bench;
      const seeked = b.ev.find(e => e.type === 'seeked' && e.t >= s.t);
      return seeked && b.frames.some(f => f.t >= seeked.t && f.mt > s.target + 0.01);
    }, seek, { timeout: 90000, polling: 20 });
    const a = await page.evaluate(() => window.__bench);
    const seeked = a.ev.find(e => e.type === 'seeked' && e.t >= seek.t);
    const playingAfter = a.ev.find(e => e.type === 'playing' && e.t >= seek.t);
    result.seekTarget = seek.target;
    result.duration = seek.duration;
    result.seekedMs = seeked.t - seek.t;
    result.seekPlayingEventMs = playingAfter ? playingAfter.t - seek.t : null;
    result.seekMs = a.frames.find(f => f.t >= seeked.t && f.mt > seek.target + 0.01).t - seek.t;
    if (mode === 'scrub') result.scrubFromFirstMs = result.seekMs + (seek.t - first.t);
    result.seekAt = seek.t;
  } else {
    await page.waitForFunction(p => document.getElementById('video').currentTime >= p, PLAYED, { timeout: PLAYED * 4000, polling: 20 });
    const fetched = swarmState ? swarmState.uploaded() : null;
    const v = await page.evaluate(() => ({ d: document.getElementById('video').duration, ct: document.getElementById('video').currentTime }));
    const a = await page.evaluate(p => window.__bench.ev.filter(e => e.type === 'waiting' && e.t > p).length, playing.t);
    result.wallToPlayedMs = Date.now() - t0;
    result.stalls = a;
    result.duration = v.d;
    if (swarmState) {
      const played = PLAYED * swarmState.size / v.d;
      result.fetched = fetched; // the seeders' upload counters: they started with this run
      result.played = played;
      result.fetchedPerPlayed = result.fetched / played;
      result.progress = result.fetched / swarmState.size;
    }
  }
  return result;
}

async function main() {
  for (const d of ['logs', 'seed', 'peerflix']) fs.mkdirSync(path.join(WORK, d), { recursive: true });
  const yts = fakeYts();
  const ytsPort = await listen(yts);
  const floor = floorServer();
  const floorPort = await listen(floor);
  const floorBase = `http://127.0.0.1:${floorPort}`;
  await startTracker();

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(INSTRUMENT);
  if (TIGHT) await durations();

  /** One of our servers (the JAR under test, or --jar2), its administrator signed in in a browser context of its own. */
  async function server(jar, name) {
    const appPort = await freePort();
    const base = `http://127.0.0.1:${appPort}`;
    start(JAVA, ['-Xmx1g', '-jar', jar, '--server.address=127.0.0.1', `--hypertube.media.idle-timeout=${args['idle-timeout'] || '10s'}`], {
      logName: `app-${name}.log`,
      env: { PORT: String(appPort), HYPERTUBE_DATA_DIR: path.join(WORK, 'data-' + name), HYPERTUBE_TORRENT_BIND: '127.0.0.1',
        HYPERTUBE_TORRENT_PORT: '0', YTS_BASE_URL: `http://127.0.0.1:${ytsPort}/api/v2/`, ARCHIVE_ENABLED: 'false',
        // The fake YTS and the tracker are on loopback (refused as inside addresses otherwise); no public DHT.
        HYPERTUBE_ALLOW_LOCAL_ADDRESSES: 'true', HYPERTUBE_DHT: 'false' },
    });
    await waitHttp(base + '/actuator/health', 180000);
    log(name, 'server up on', base);
    // Cookies do not tell ports apart: each server gets its own browser context.
    const sctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await sctx.addInitScript(INSTRUMENT);
    // The first account on a fresh database is an administrator.
    const page = await sctx.newPage();
    await page.goto(base + '/register');
    await page.fill('input[name=email]', 'bench@example.org');
    await page.fill('input[name=username]', 'bencher');
    await page.fill('input[name=firstName]', 'Bench');
    await page.fill('input[name=lastName]', 'Mark');
    await page.fill('input[name=password]', 'violet-harbour-lantern');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/register"] button[type=submit]')]);
    // Registering no longer signs in: sign in with the new account.
    await page.goto(base + '/login');
    await page.fill('input[name=username]', 'bencher');
    await page.fill('input[name=password]', 'violet-harbour-lantern');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/login"] button[type=submit], form[action$="/login"] input[type=submit]')]);
    await page.goto(base + '/');
    const filmIds = [...new Set((await page.$$eval('a[href^="/films/"]', as => as.map(a => a.getAttribute('href'))))
      .map(h => h.match(/^\/films\/(\d+)$/)).filter(Boolean).map(m => Number(m[1])))];
    const admin = await page.goto(base + '/admin/downloads');
    if (admin.status() !== 200 || !page.url().endsWith('/admin/downloads')) throw new Error('not an administrator: /admin/downloads ' + admin.status() + ' ' + page.url());
    if (!filmIds.length) throw new Error('no films listed on the home page');
    await page.close();
    log(`${name}: ${filmIds.length} films in the catalog`);
    return { name, base, ctx: sctx, filmIds, nextFilm: 0 };
  }
  const servers = [];
  if (ONLY.includes('ours')) {
    servers.push(await server(JAR, 'ours'));
    if (JAR2) servers.push(await server(JAR2, 'ours@' + LABEL2));
  }

  const results = [];
  let warming = false; // the run going on is a warm-up (not counted)
  const record = r => {
    if (warming) r.warmUp = true;
    results.push(r);
    log(JSON.stringify(r));
    fs.writeFileSync(path.join(WORK, 'results.json'), JSON.stringify(summaryHead(), null, 1));
  };
  const summaryHead = () => ({ rate: RATE, seeders: SEEDERS, played: PLAYED, tight: TIGHT, delayMs: DELAY_MS, label2: JAR2 ? LABEL2 : null,
    durations: DURATION, results });

  async function ours(srv, kind, mode, tag) {
    const { base, ctx } = srv;
    const s = await swarm(kind, tag);
    const filmId = srv.filmIds[srv.nextFilm++];
    if (filmId === undefined) throw new Error('out of films');
    const page = await ctx.newPage();
    const marks = netMarks(page, u => u.startsWith(base) && /\/(play|stream|hls)/.test(u));
    try {
      await page.goto(`${base}/films/${filmId}`);
      await page.waitForSelector('#play-button:not([disabled])');
      const csrf = await page.evaluate(() => [document.querySelector('meta[name="csrf-header"]').content,
        document.querySelector('meta[name="csrf-token"]').content]);
      // Press Play right after the operator adds the magnet (the download starts with the add): t0 is the add.
      const t0 = Date.now();
      const added = await page.request.post(base + '/admin/downloads', {
        headers: { [csrf[0]]: csrf[1] }, multipart: { magnet: s.magnet, film: String(filmId) }, maxRedirects: 0 });
      if (added.status() !== 302) throw new Error('add refused: ' + added.status());
      const tClick = Date.now();
      await page.click('#play-button');
      const r = await measure(page, t0, mode, s);
      r.playFromClickMs = r.playMs - (tClick - t0);
      r.mode = await page.getAttribute('#player', 'data-mode');
      r.timeline = timeline(marks.filter(m => m.sent >= t0), t0, r.seekAt, await page.evaluate(() => window.__bench.ev));
      record({ client: srv.name, kind, test: mode, tag, filmId, seederRate: s.rate, ...r });
    } finally {
      await page.close();
      // Remove it with the operator's button (files too), then stop its seeders.
      const admin = await ctx.request.get(base + '/admin/downloads');
      const html = await admin.text();
      const row = html.split('id="download-' + s.hash + '"')[1];
      const id = row && row.match(/\/admin\/downloads\/(\d+)\/remove/);
      const token = html.match(/name="_csrf" value="([^"]+)"/);
      if (id && token) await ctx.request.post(`${base}/admin/downloads/${id[1]}/remove`, { form: { _csrf: token[1] }, maxRedirects: 0 });
      else log('could not find the download to remove', s.hash);
      await s.close();
    }
  }

  async function peerflix(mode, tag) {
    const s = await swarm('direct', tag);
    const page = await ctx.newPage();
    const folder = path.join(WORK, 'peerflix', tag);
    let p;
    let port = null;
    const marks = netMarks(page, u => port !== null && u.startsWith(`http://127.0.0.1:${port}/`));
    try {
      await page.goto(floorBase + '/player.html');
      port = await freePort();
      // t0: peerflix starts on the magnet (as our server's t0 is the magnet added).
      const t0 = Date.now();
      // The seeders' addresses are given too (-e): peerflix's own discovery (tracker and DHT at once)
      // found no peer at all in some starts (90 s without a connection), in most runs of 2026-12-07.
      p = start(process.execPath, [path.join(here, 'node_modules/peerflix/app.js'), s.magnet, '-q', '-p', String(port),
        '-h', '127.0.0.1', '-f', folder, ...s.addrs.flatMap(a => ['-e', a])], { logName: `peerflix-${tag}.log` });
      const m = await lineWith(p, /server is listening on (http:\/\/\S+)/, 120000);
      const tSrc = Date.now();
      await page.evaluate(src => { const v = document.getElementById('video'); v.src = src; v.play().catch(() => {}); },
        `http://127.0.0.1:${port}/`);
      const r = await measure(page, t0, mode, s);
      r.playFromSrcMs = r.playMs - (tSrc - t0);
      r.timeline = timeline(marks, t0, r.seekAt, await page.evaluate(() => window.__bench.ev));
      record({ client: 'peerflix', kind: 'direct', test: mode, tag, seederRate: s.rate, ...r });
    } finally {
      await page.close();
      if (p) await stop(p);
      fs.rmSync(folder, { recursive: true, force: true });
      await s.close();
    }
  }

  async function floorRun(mode, tag) {
    const page = await ctx.newPage();
    const marks = netMarks(page, u => u.includes('/film.mp4'));
    try {
      await page.goto(floorBase + '/player.html');
      const t0 = Date.now();
      await page.evaluate(src => { const v = document.getElementById('video'); v.src = src; v.play().catch(() => {}); },
        `${floorBase}/film.mp4?run=${tag}`);
      const r = await measure(page, t0, mode, null);
      r.timeline = timeline(marks, t0, r.seekAt, await page.evaluate(() => window.__bench.ev));
      record({ client: 'floor', kind: 'direct', test: mode, tag, ...r });
    } finally {
      await page.close();
    }
  }

  // One uncounted run of each first (JIT, page caches, Chromium's first media pipeline).
  const plan = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const warm = round === 0;
    for (const mode of TESTS) {
      if (warm && mode !== TESTS[0]) continue;
      if (ONLY.includes('floor') && mode !== 'bytes') plan.push({ what: 'floor', mode, warm, round });
      if (ONLY.includes('ours')) for (const kind of KINDS) for (const srv of servers) plan.push({ what: 'ours', srv, kind, mode, warm, round });
      if (ONLY.includes('peerflix')) plan.push({ what: 'peerflix', mode, warm, round });
    }
  }
  let n = 0;
  for (const step of plan) {
    const tag = `r${step.round}${step.mode.slice(0, 2)}${n++}`;
    log('run', tag, step.srv ? step.srv.name : step.what, step.kind || 'direct', step.mode, step.warm ? '(warm-up, not counted)' : '');
    warming = step.warm;
    try {
      if (step.what === 'ours') await ours(step.srv, step.kind, step.mode, tag);
      else if (step.what === 'peerflix') await peerflix(step.mode, tag);
      else await floorRun(step.mode, tag);
    } catch (e) {
      log('FAILED', tag, e.message.split('\n')[0]);
      record({ client: step.srv ? step.srv.name : step.what, kind: step.kind || 'direct', test: step.mode, tag, failed: e.message.split('\n')[0] });
    }
  }
  await browser.close();
  yts.close();
  floor.close();
  fs.writeFileSync(args.out || path.join(WORK, 'results.json'), JSON.stringify(summaryHead(), null, 1));
  killAll();
}

main().then(() => process.exit(0), e => { console.error(e); killAll(); process.exit(1); });
