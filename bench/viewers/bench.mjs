// Viewers benchmark (issue 21): how many members can watch one finished film at once on one instance
// (and on two behind nginx), direct (HTTP ranges) and remuxed (HLS), with light real-time viewers
// (viewer.mjs). Run through run.sh, which makes the films, checks the jars and cleans up every process.
//
//   node bench.mjs --films DIR --work DIR --jar app/target/hypertube.jar --cli torrent/target/torrent-cli.jar
//                  [--kinds direct,remux] [--steps 10,20,35,50,70,100] [--remux-steps 2,4,5,10,20]
//                  [--seconds 60] [--pace 1.5] [--ahead 30] [--max-remuxes N] [--keep-going]
//                  [--instances 1|2 --nginx-conf FILE] [--chromium N] [--out results.json]
//
// Per kind: the film is added by the operator's magnet and downloaded to the end from a local libtorrent
// seeder (unlimited), so it is finished (and seeding, as after any download) before anyone watches. Each
// step N: N members (each signed in with a session of its own) press Play (POST /films/{id}/play, as the
// page does) and watch for --seconds at --pace × real time; the server's CPU (/proc of its process),
// its ffmpeg processes (count and CPU) and the client's own CPU are sampled meanwhile. The remux gets a
// fresh torrent of the same film per step (a new info-hash: no segment of an earlier step is reused).
// The ramp of a kind stops after the first step where a viewer stalled, unless --keep-going.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliArgs, freePort, processes, run, sleep } from '../lib/processes.mjs';
import { chromiumViewers } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = cliArgs();
const FILMS = args.films;
const WORK = args.work;
const KINDS = (args.kinds || 'direct,remux').split(',');
const STEPS = {
  direct: (args.steps || '10,20,35,50,70,100').split(',').map(Number),
  remux: (args['remux-steps'] || '2,4,5,10,20').split(',').map(Number),
};
const LATE_START_MS = 10_000;
const SECONDS = Number(args.seconds || 60);
const PACE = Number(args.pace || 1.5);
const AHEAD = Number(args.ahead || 30);
const INSTANCES = Number(args.instances || 1);
const JAVA = process.env.JAVA25 || '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java';
const PY = '/usr/bin/python3';
const FILE = { direct: 'direct.mp4', remux: 'remux.mkv' };
const PASSWORD = 'violet-harbour-lantern';
const TICK = Number(os.constants?.CLK_TCK || 100);

const log = (...m) => console.log(new Date().toISOString().slice(11, 23), ...m);

// ------------------------------------------------------------------ processes (all killed on exit)
const { start, killGroup, killAll } = processes(WORK);

async function waitFor(what, ms, test) {
  const end = Date.now() + ms;
  for (;;) {
    try { const v = await test(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(250);
  }
}

// ------------------------------------------------------------------ the catalog the server lists (a fake YTS)
function fakeYts() {
  const movies = Array.from({ length: 48 }, (_, i) => ({
    id: 9300 + i, imdb_code: `tt${9300000 + i}`, title: `Audience Film ${i + 1}`, title_long: `Audience Film ${i + 1} (2002)`,
    year: 2002, rating: 7, runtime: 5, genres: ['Drama'], summary: `Viewers benchmark film ${i + 1}.`, torrents: [],
  }));
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const page = Number(u.searchParams.get('page') || 1);
    const body = u.pathname.endsWith('/list_movies.json')
      ? { status: 'ok', data: { movie_count: movies.length, limit: 50, page_number: page, ...(page === 1 ? { movies } : {}) } }
      : u.pathname.endsWith('/movie_details.json')
        ? { status: 'ok', data: { movie: movies.find(x => String(x.id) === u.searchParams.get('movie_id')) || { id: 0 } } }
        : null;
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
}

// ------------------------------------------------------------------ a member's browser session (cookies, CSRF)
class Member {
  constructor(base, username) { this.base = base; this.username = username; this.cookies = new Map(); }
  get cookie() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  async request(pathname, { method = 'GET', form, headers = {}, body } = {}) {
    const init = { method, redirect: 'manual', headers: { Cookie: this.cookie, ...headers } };
    if (form) {
      init.body = new URLSearchParams(form).toString();
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (body) {
      init.body = body;
    }
    const res = await fetch(this.base + pathname, init);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }
  async page(pathname) {
    const res = await this.request(pathname);
    return { status: res.status, html: await res.text() };
  }
  async postForm(pathname, from, fields) {
    const { html } = await this.page(from);
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('no CSRF token on ' + from);
    return this.request(pathname, { method: 'POST', form: { _csrf: token, ...fields } });
  }
  async signUpAndIn() {
    await this.postForm('/register', '/register', { email: `${this.username}@example.org`, username: this.username,
      firstName: 'Viewer', lastName: this.username, password: PASSWORD });
    const res = await this.postForm('/login', '/login', { username: this.username, password: PASSWORD });
    const where = res.headers.get('location') || '';
    if (res.status !== 302 || where.includes('error')) throw new Error(`sign-in of ${this.username} failed: ${res.status} ${where}`);
  }
  /** The player's first call: POST /films/{id}/play with the page's CSRF header; the status as JSON. */
  async play(filmId) {
    if (!this.csrf) {
      const { html } = await this.page(`/films/${filmId}`);
      this.csrf = [/name="csrf-header" content="([^"]+)"/.exec(html)[1], /name="csrf-token" content="([^"]+)"/.exec(html)[1]];
    }
    const res = await this.request(`/films/${filmId}/play`, { method: 'POST', headers: { [this.csrf[0]]: this.csrf[1], Accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`play ${filmId} as ${this.username}: HTTP ${res.status}`);
    return res.json();
  }
}

// ------------------------------------------------------------------ the server(s)
async function startPostgres() {
  const out = await run('/work/tools/pg-start.sh', []);
  const url = /TEST_DATABASE_URL=(\S+)/.exec(out)[1];
  const dir = /# pg dir (\S+)/.exec(out)[1];
  fs.writeFileSync(path.join(WORK, 'pg-dir'), dir);  // run.sh stops it whatever happens here
  return { url, dir, stop: () => run('runuser', ['-u', 'postgres', '--', ...pgCtl(dir)]).catch(() => {}) };
}
function pgCtl(dir) {
  const bin = fs.readdirSync('/usr/lib/postgresql').sort().pop();
  return [`/usr/lib/postgresql/${bin}/bin/pg_ctl`, '-D', path.join(dir, 'data'), '-m', 'immediate', 'stop'];
}

async function startServers(ytsPort) {
  const common = {
    HYPERTUBE_DATA_DIR: path.join(WORK, 'data'), HYPERTUBE_TORRENT_BIND: '127.0.0.1', HYPERTUBE_TORRENT_PORT: '0',
    HYPERTUBE_DHT: 'false', HYPERTUBE_ALLOW_LOCAL_ADDRESSES: 'true', ARCHIVE_ENABLED: 'false',
    YTS_BASE_URL: `http://127.0.0.1:${ytsPort}/api/v2/`,
  };
  const servers = [];
  let pg = null;
  const proxyPort = await freePort();
  if (INSTANCES > 1) {
    // What deploy/compose.yaml and docs/OPERATIONS.md ("Several instances") set, on loopback: one PostgreSQL,
    // one data folder, nginx as the trusted proxy, each instance's cluster listener and the shared secret.
    pg = await startPostgres();
    Object.assign(common, { DATABASE_URL: pg.url, DATABASE_USER: 'hypertube', DATABASE_PASSWORD: '', HYPERTUBE_CLUSTER: 'true',
      HYPERTUBE_TRUSTED_PROXIES: '127.0.0.1', HYPERTUBE_BASE_URL: `http://127.0.0.1:${proxyPort}`,
      HYPERTUBE_CLUSTER_SECRET: 'viewers-benchmark-shared-secret-0123456789abcdef' });
  }
  for (let i = 0; i < INSTANCES; i++) {
    const port = await freePort();
    const env = { ...common, PORT: String(port) };
    if (INSTANCES > 1) {
      env.HYPERTUBE_INSTANCE = `bench${i + 1}`;
      env.HYPERTUBE_CLUSTER_LISTEN = `127.0.0.1:${await freePort()}`;
    }
    const settings = ['--server.address=127.0.0.1', '--hypertube.media.idle-timeout=10s'];
    if (args['max-remuxes']) settings.push(`--hypertube.media.max-remuxes=${args['max-remuxes']}`);
    const p = start(JAVA, ['-Xmx1g', '--enable-native-access=ALL-UNNAMED', '-jar', args.jar, ...settings],
      { env, logName: `app-${i + 1}.log` });
    servers.push({ p, port, base: `http://127.0.0.1:${port}` });
    // One at a time: the first creates the schema.
    await waitFor('the server on ' + port, 180000, async () => (await fetch(`http://127.0.0.1:${port}/actuator/health`)).ok);
    log('server', i + 1, 'up on port', port, 'pid', p.pid);
  }
  let base = servers[0].base;
  if (INSTANCES > 1) base = await startNginx(servers, proxyPort);
  return { servers, base, pg };
}

/** nginx in front of the instances, from the deployment's own configuration with the upstreams put in. */
async function startNginx(servers, port) {
  const conf = path.resolve(args['nginx-conf'] || path.join(here, '../../deploy/nginx/hypertube.conf'));
  if (!fs.existsSync(conf)) throw new Error('two instances need the deployment\'s nginx configuration: ' + conf);
  const dir = path.join(WORK, 'nginx');
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const text = fs.readFileSync(conf, 'utf8')
    .replace(/^\s*#.*$/gm, '')
    .replace(/listen\s+[^;]+;/g, `listen 127.0.0.1:${port};`)
    .replace(/upstream\s+(\w+)\s*\{[^}]*\}/, (m, name) => `upstream ${name} {\n${m.includes('ip_hash') ? '  ip_hash;\n' : ''}`
      + servers.map(s => `  server 127.0.0.1:${s.port} max_fails=1 fail_timeout=10s;\n`).join('') + (m.match(/keepalive\s+\d+;/)?.[0] || '') + '\n}')
    .replace(/include\s+\/etc\/nginx\/conf\.d\//g, `include ${path.dirname(conf)}/`);
  const main = `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nworker_processes auto;\nevents { worker_connections 4096; }\n`
    + `http {\n access_log ${dir}/logs/access.log;\n client_body_temp_path ${dir}/body;\n proxy_temp_path ${dir}/proxy;\n`
    + ` fastcgi_temp_path ${dir}/fcgi;\n uwsgi_temp_path ${dir}/uwsgi;\n scgi_temp_path ${dir}/scgi;\n${text}\n}\n`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), main);
  proxyPid = start('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { logName: 'nginx.log' }).pid;
  const base = `http://127.0.0.1:${port}`;
  await waitFor('nginx', 20000, async () => (await fetch(base + '/actuator/health')).status < 500);
  log('nginx up on port', port);
  return base;
}

// ------------------------------------------------------------------ films: a torrent of the file, seeded to the end
let trackerUrl;
async function startTracker() {
  const port = await freePort();
  start(JAVA, ['-XX:+UseSerialGC', '-jar', args.cli, 'tracker', '--bind', '127.0.0.1', '--port', String(port), '--interval', '2'],
    { logName: 'tracker.log' });
  trackerUrl = `http://127.0.0.1:${port}/announce`;
  await waitFor('the tracker', 30000, () => new Promise(r => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); });
    s.on('error', () => r(false));
  }));
}

/** A new torrent of the film (a new name: a new info-hash), added by the operator to film `filmId` and downloaded to the end. */
async function finishedFilm(admin, kind, filmId, tag) {
  const dir = path.join(WORK, 'seed', tag);
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(FILE[kind]);
  const file = path.join(dir, `audience-${tag}${ext}`);
  fs.linkSync(path.join(FILMS, FILE[kind]), file);
  const torrent = path.join(WORK, 'seed', tag + '.torrent');
  await run(JAVA, ['-XX:+UseSerialGC', '-jar', args.cli, 'create', '--tracker', trackerUrl, '-o', torrent, file]);
  const magnet = (await run(PY, ['-c', 'import libtorrent as lt,sys; print(lt.make_magnet_uri(lt.torrent_info(sys.argv[1])))', torrent])).trim();
  const seeder = start(PY, [path.join(here, '../playback/seeder.py'), '--save', dir, '--torrent', torrent, '--upload-limit', '0',
    '--stats', path.join(WORK, 'seed', tag + '.up')], { logName: `seeder-${tag}.log` });
  await waitFor('the seeder', 120000, () => fs.existsSync(path.join(WORK, 'seed', tag + '.up')));
  const t0 = Date.now();
  const { html } = await admin.page('/admin/downloads');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  const form = new FormData();
  form.set('_csrf', token);
  form.set('magnet', magnet);
  form.set('film', String(filmId));
  const added = await admin.request('/admin/downloads', { method: 'POST', body: form });
  if (added.status !== 302) throw new Error('the operator\'s add was refused: ' + added.status);
  const status = await waitFor(`film ${filmId} finished and probed`, 300000, async () => {
    const s = await admin.play(filmId);
    return s.phase === 'READY' && s.progress >= 1 ? s : null;
  });
  log(`film ${filmId} (${kind}, ${tag}) downloaded and probed in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${status.mode} ${status.src}`);
  killGroup(seeder, 'SIGKILL');
  return { filmId, kind, size: fs.statSync(file).size, duration: status.duration, mode: status.mode };
}

// ------------------------------------------------------------------ sampling /proc
function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
  } catch { return null; }
}
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: f[0] + f[1] + f[2] + f[5] + f[6] + f[7], all: f.slice(0, 8).reduce((a, b) => a + b, 0) };
}
/** Samples the servers' CPU, their ffmpeg children (how many at once, their CPU) and the machine every 500 ms. */
let proxyPid = null;  // nginx's master; its workers' CPU is the proxy's
/** CPU ticks of nginx's workers now (0 without nginx). */
function proxyTicks() {
  if (!proxyPid) return 0;
  return fs.readdirSync('/proc').filter(n => /^\d+$/.test(n)).map(procTicks)
    .filter(s => s && s.ppid === proxyPid).reduce((a, s) => a + s.ticks, 0);
}
function sampler(serverPids) {
  const proxy0 = proxyTicks();
  const ffmpeg = new Map();
  let maxFfmpeg = 0;
  const start = { server: serverPids.map(p => procTicks(p)?.ticks || 0), machine: machineTicks() };
  const counts = [];
  const sample = () => {
    let n = 0;
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = procTicks(name);
      if (s && s.comm === 'ffmpeg' && serverPids.includes(s.ppid)) {
        n++;
        if (!ffmpeg.has(name)) ffmpeg.set(name, { first: s.ticks, last: s.ticks });
        ffmpeg.get(name).last = s.ticks;
      }
    }
    counts.push(n);
    maxFfmpeg = Math.max(maxFfmpeg, n);
  };
  sample();
  const timer = setInterval(sample, 500);
  return () => {
    clearInterval(timer);
    sample();
    const machine = machineTicks();
    const server = serverPids.map((p, i) => ((procTicks(p)?.ticks || 0) - start.server[i]) / TICK);
    return {
      serverCpuSeconds: server.reduce((a, b) => a + b, 0),
      serverCpuSecondsEach: server,
      ffmpegMax: maxFfmpeg,
      ffmpegStarted: ffmpeg.size,
      ffmpegCpuSeconds: [...ffmpeg.values()].reduce((a, f) => a + (f.last - f.first) / TICK, 0),
      proxyCpuSeconds: (proxyTicks() - proxy0) / TICK,
      ffmpegMean: counts.reduce((a, b) => a + b, 0) / counts.length,
      machineBusy: (machine.busy - start.machine.busy) / Math.max(1, machine.all - start.machine.all),
    };
  };
}
function ffmpegRunning(serverPids) {
  return fs.readdirSync('/proc').filter(n => /^\d+$/.test(n)).map(procTicks)
    .filter(s => s && s.comm === 'ffmpeg' && serverPids.includes(s.ppid)).length;
}

// ------------------------------------------------------------------ one step: N viewers
async function step(film, members, n, base, serverPids, pace = PACE) {
  const viewers = [];
  for (const m of members.slice(0, n)) {
    const s = await m.play(film.filmId);
    if (s.phase !== 'READY') throw new Error(`film ${film.filmId} not ready for ${m.username}: ${s.phase}`);
    viewers.push({ url: base + s.src, cookie: m.cookie });
  }
  const config = { kind: film.mode === 'direct' ? 'direct' : 'hls', viewers, seconds: SECONDS, pace, ahead: AHEAD,
    startBuffer: 2, resumeBuffer: 2, chunk: 2 * 1024 * 1024, stagger: 3, duration: film.duration,
    bitrate: film.size / film.duration };
  const file = path.join(WORK, `viewers-${film.kind}-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const stop = sampler(serverPids);
  const load = os.loadavg()[0];
  const client = start(process.execPath, [path.join(here, 'viewer.mjs'), file], { logName: `viewers-${film.kind}-${n}.log` });
  let out = '';
  client.stdout.on('data', d => { out += d; });
  const code = await new Promise(r => client.on('exit', r));
  const sys = stop();
  if (code !== 0) throw new Error(`viewer.mjs exited ${code}; see logs/viewers-${film.kind}-${n}.log`);
  const r = JSON.parse(out);
  const v = r.viewers;
  const sorted = (xs) => xs.filter(x => x !== null && x !== undefined).sort((a, b) => a - b);
  const med = xs => { const s = sorted(xs); return s.length ? s[s.length >> 1] : null; };
  const min = xs => { const s = sorted(xs); return s.length ? s[0] : null; };
  const max = xs => { const s = sorted(xs); return s.length ? s[s.length - 1] : null; };
  return {
    kind: film.kind, mode: film.mode, viewers: n, seconds: SECONDS, pace, ahead: AHEAD, filmId: film.filmId,
    bitrateMbps: film.size * 8 / film.duration / 1e6,
    stalledViewers: v.filter(x => x.stalls > 0).length,
    stalls: v.reduce((a, x) => a + x.stalls, 0),
    stallSeconds: v.reduce((a, x) => a + x.stallMs, 0) / 1000,
    neverStarted: v.filter(x => x.startupMs === null).length,
    // A viewer that waits longer than LATE_START_MS for its first seconds of film gave up, as a person would.
    lateStarts: v.filter(x => x.startupMs === null || x.startupMs > LATE_START_MS).length,
    errors: v.reduce((a, x) => a + x.errors, 0),
    retries: v.reduce((a, x) => a + x.retries, 0),
    startupMsMedian: med(v.map(x => x.startupMs)), startupMsMax: max(v.map(x => x.startupMs)),
    sustainedMin: min(v.map(x => x.sustained)), sustainedMedian: med(v.map(x => x.sustained)),
    requestRateMin: min(v.map(x => x.requestRateMin)), requestRateMedian: med(v.map(x => x.requestRateMedian)),
    serverCpuCores: sys.serverCpuSeconds / r.wall,
    serverCpuPerViewerPct: 100 * sys.serverCpuSeconds / r.wall / n,
    serverCpuEach: sys.serverCpuSecondsEach.map(s => s / r.wall),
    ffmpegMax: sys.ffmpegMax, ffmpegStarted: sys.ffmpegStarted, ffmpegMean: sys.ffmpegMean,
    ffmpegCpuCores: sys.ffmpegCpuSeconds / r.wall,
    proxyCpuCores: sys.proxyCpuSeconds / r.wall,
    clientCpuCores: r.clientCpuSeconds / r.wall, clientLoopDelayP99Ms: r.eventLoopDelayMs.p99, clientLoopDelayMaxMs: r.eventLoopDelayMs.max,
    machineBusy: sys.machineBusy, load1: load,
    sampleErrors: [...new Set(v.filter(x => x.error).map(x => x.error))].slice(0, 3),
    perViewer: v,
  };
}

async function main() {
  for (const d of ['logs', 'seed']) fs.mkdirSync(path.join(WORK, d), { recursive: true });
  const yts = fakeYts();
  const ytsPort = await new Promise(r => yts.listen(0, '127.0.0.1', () => r(yts.address().port)));
  await startTracker();
  const { servers, base, pg } = await startServers(ytsPort);
  const serverPids = servers.map(s => s.p.pid);

  // The first account on a fresh database is an administrator: the operator who adds the films.
  const admin = new Member(base, 'operator');
  await admin.signUpAndIn();
  const { html } = await admin.page('/');
  const filmIds = [...new Set([...html.matchAll(/href="\/films\/(\d+)"/g)].map(m => Number(m[1])))];
  if ((await admin.page('/admin/downloads')).status !== 200) throw new Error('the first account is not an administrator');
  log(`${filmIds.length} films in the catalog`);

  const most = Math.max(...KINDS.flatMap(k => STEPS[k]));
  const members = [];
  const t0 = Date.now();
  for (let i = 0; i < most; i++) {
    const m = new Member(base, `viewer${String(i + 1).padStart(3, '0')}`);
    await m.signUpAndIn();
    members.push(m);
  }
  log(`${members.length} members signed up and in (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const results = [];
  const save = () => fs.writeFileSync(args.out || path.join(WORK, 'results.json'), JSON.stringify({
    instances: INSTANCES, buildLock: process.env.BENCH_BUILD_LOCK || 'not-asked', steps: STEPS, seconds: SECONDS, pace: PACE, ahead: AHEAD, results }, null, 1));
  let nextFilm = 0;
  for (const kind of KINDS) {
    let film = null;
    for (const n of STEPS[kind]) {
      if (!film || kind === 'remux') {
        film = await finishedFilm(admin, kind, filmIds[nextFilm++], `${kind}-${n}`);
      }
      // Conversions of an earlier step stop after the idle timeout (10 s here): start from none.
      await waitFor('earlier conversions to stop', 60000, () => ffmpegRunning(serverPids) === 0);
      log(`step: ${n} viewers, ${kind}, ${SECONDS} s at ${PACE}x`);
      let r;
      try {
        r = await step(film, members, n, base, serverPids);
      } catch (e) {
        r = { kind, viewers: n, failed: String(e.message) };
      }
      results.push(r);
      save();
      const { perViewer, ...brief } = r;
      log(JSON.stringify(brief));
      if ((r.failed || r.stalledViewers > 0 || r.lateStarts > 0 || r.errors > 0) && !args['keep-going']) break;
    }
    if (args.chromium) {
      // The light viewer beside real browsers: N of each at 1x on a fresh copy of the film, one after the other.
      const n = Number(args.chromium);
      const fresh = await finishedFilm(admin, kind, filmIds[nextFilm++], `${kind}-chromium`);
      await waitFor('earlier conversions to stop', 60000, () => ffmpegRunning(serverPids) === 0);
      const light = await step(fresh, members, n, base, serverPids, 1);
      const again = kind === 'remux' ? await finishedFilm(admin, kind, filmIds[nextFilm++], `${kind}-chromium2`) : fresh;
      await waitFor('earlier conversions to stop', 60000, () => ffmpegRunning(serverPids) === 0);
      const stopSampling = sampler(serverPids);
      const pages = await chromiumViewers(base, again.filmId, members.slice(0, n), SECONDS);
      const sys = stopSampling();
      const r = { kind, check: 'chromium', viewers: n, seconds: SECONDS, light: { stalls: light.stalls, startupMsMedian: light.startupMsMedian,
        aheadMax: AHEAD, serverCpuCores: light.serverCpuCores, ffmpegMax: light.ffmpegMax }, chromium: pages,
        chromiumServerCpuCores: sys.serverCpuSeconds / SECONDS, chromiumFfmpegMax: sys.ffmpegMax };
      results.push(r);
      save();
      log(JSON.stringify(r));
    }
  }
  save();
  yts.close();
  killAll();
  if (pg) await pg.stop();
}

main().then(() => process.exit(0), e => { console.error(e); killAll(); process.exit(1); });
