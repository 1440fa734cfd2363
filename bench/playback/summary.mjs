// Medians of a results.json written by bench.mjs, ratios against peerflix and the floor, and issue 22's
// targets, as Markdown tables. Every client in the file is shown ("ours", a second server
// "ours@<label>" when run with --jar2, "peerflix", "floor").
//   node summary.mjs results.json
import fs from 'node:fs';

const { rate, seeders, played, tight, delayMs, label2, results } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const counted = results.filter(r => !r.warmUp);
const median = xs => {
  const s = xs.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f0 = x => x == null ? '–' : Math.round(x).toString();
const f2 = x => x == null || !Number.isFinite(x) ? '–' : x.toFixed(2);
const rows = (client, kind, test) => counted.filter(r => r.client === client && r.kind === kind && r.test === test);
const ok = rs => rs.filter(r => !r.failed);
const med = (client, kind, test, key) => median(ok(rows(client, kind, test)).map(r => r[key]));
const list = (client, kind, test, key, f = f0) => ok(rows(client, kind, test)).map(r => f(r[key])).join(', ');
const playRuns = (client, kind) => counted.filter(r => r.client === client && r.kind === kind && !r.failed);
const playOf = (client, kind) => median(playRuns(client, kind).map(r => r.playMs));
const ratio = (a, b) => a != null && b ? a / b : null;

const seederRates = [...new Set(counted.filter(r => r.seederRate).map(r => r.seederRate))];
const swarm = tight
  ? `tight swarm: ${seeders} seeders together at ${tight}× the film's bitrate (per seeder: ${seederRates.map(r => (r / 1e3).toFixed(0) + ' kB/s').join(', ')})`
  : `${seeders} seeders × ${(rate / 1e6).toFixed(1)} MB/s`;
console.log(`Swarm: ${swarm}; ${delayMs ? `${2 * delayMs} ms round-trip to each seeder (delay relay)` : 'no added latency'}; bytes and stalls after ${played} s played.\n`);
console.log('| client | film | runs ok (seek / scrub / bytes) | Play → playing (median) | per run | seek 70 % → playing (median) | per run | scrub: last seek → playing (median) | per run | fetched / played (median) | stalls in ' + played + ' s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const clients = [...new Set(counted.map(r => r.client))].sort((a, b) => order(a) - order(b));
function order(c) { return c === 'ours' ? 0 : c.startsWith('ours@') ? 1 : c === 'peerflix' ? 2 : 3; }
for (const client of clients) {
  for (const kind of ['direct', 'remux', 'transcode']) {
    const [seek, scrub, bytes] = ['seek', 'scrub', 'bytes'].map(t => rows(client, kind, t));
    if (!seek.length && !scrub.length && !bytes.length) continue;
    const play = playRuns(client, kind).map(r => r.playMs);
    console.log(`| ${client} | ${kind} | ${ok(seek).length}/${seek.length} / ${ok(scrub).length}/${scrub.length} / ${ok(bytes).length}/${bytes.length} | `
      + `${f0(median(play))} ms | ${play.map(f0).join(', ')} | `
      + `${f0(med(client, kind, 'seek', 'seekMs'))} ms | ${list(client, kind, 'seek', 'seekMs')} | `
      + `${f0(med(client, kind, 'scrub', 'seekMs'))} ms | ${list(client, kind, 'scrub', 'seekMs')} | `
      + `${f2(med(client, kind, 'bytes', 'fetchedPerPlayed'))} | ${list(client, kind, 'bytes', 'stalls')} |`);
  }
}

const pfPlay = playOf('peerflix', 'direct');
const floorPlay = playOf('floor', 'direct');
const pfSeek = med('peerflix', 'direct', 'seek', 'seekMs');
const floorSeek = med('floor', 'direct', 'seek', 'seekMs');
const pfScrub = med('peerflix', 'direct', 'scrub', 'seekMs');
console.log(`\nReference: peerflix Play → playing ${f0(pfPlay)} ms, seek ${f0(pfSeek)} ms, scrub ${f0(pfScrub)} ms; floor ${f0(floorPlay)} ms, seek ${f0(floorSeek)} ms, scrub ${f0(med('floor', 'direct', 'scrub', 'seekMs'))} ms.`);
for (const client of clients.filter(c => c.startsWith('ours'))) {
  console.log(`\n**${client}** against issue 22's targets:\n`);
  console.log('| ratio | value | target | met |');
  console.log('|---|---|---|---|');
  const target = (name, v, limit) => console.log(`| ${name} | ${f2(v)} | ≤ ${limit} | ${v == null ? 'not measured' : v <= limit ? 'yes' : '**no**'} |`);
  const dPlay = playOf(client, 'direct');
  const dSeek = med(client, 'direct', 'seek', 'seekMs');
  target('first frame direct / peerflix', ratio(dPlay, pfPlay), 0.6);
  target('seek direct / peerflix', ratio(dSeek, pfSeek), 0.8);
  target('seek direct / floor', ratio(dSeek, floorSeek), 1.5);
  for (const [kind, limit] of [['remux', 1.5], ['transcode', 2]]) {
    target(`first frame ${kind} / our direct`, ratio(playOf(client, kind), dPlay), limit);
    target(`seek ${kind} / our direct`, ratio(med(client, kind, 'seek', 'seekMs'), dSeek), limit);
  }
  for (const kind of ['direct', 'remux', 'transcode']) {
    target(`scrub ${kind} / single seek ${kind}`, ratio(med(client, kind, 'scrub', 'seekMs'), med(client, kind, 'seek', 'seekMs')), 1.5);
  }
  const stalls = ['direct', 'remux', 'transcode'].flatMap(k => ok(rows(client, k, 'bytes')).map(r => r.stalls));
  console.log(`| stalls in ${played} s (every bytes run${tight ? ', tight swarm' : ''}) | ${stalls.length ? Math.max(...stalls) + ' at most' : '–'} | 0 | ${stalls.length ? (Math.max(...stalls) === 0 ? 'yes' : '**no**') : 'not measured'} |`);
  console.log(`\nAlso: first frame direct / floor ${f2(ratio(dPlay, floorPlay))}; scrub direct / peerflix's scrub ${f2(ratio(med(client, 'direct', 'scrub', 'seekMs'), pfScrub))}; `
    + `from the click (not the add): ${['direct', 'remux', 'transcode'].map(k => `${k} ${f0(median(playRuns(client, k).map(r => r.playFromClickMs)))} ms`).join(', ')}.`);
}
if (label2 && clients.includes('ours') && clients.includes('ours@' + label2)) {
  console.log(`\nours / ours@${label2} (same run): ` + ['direct', 'remux', 'transcode'].map(k =>
    `${k} first frame ${f2(ratio(playOf('ours', k), playOf('ours@' + label2, k)))}, seek ${f2(ratio(med('ours', k, 'seek', 'seekMs'), med('ours@' + label2, k, 'seek', 'seekMs')))}, `
    + `scrub ${f2(ratio(med('ours', k, 'scrub', 'seekMs'), med('ours@' + label2, k, 'scrub', 'seekMs')))}`).join('; '));
}
const failed = counted.filter(r => r.failed);
if (failed.length) {
  console.log('\nFailed runs:');
  for (const r of failed) console.log(`- ${r.client} ${r.kind} ${r.test} ${r.tag}: ${r.failed}`);
}
const wrongMode = counted.filter(r => r.client.startsWith('ours') && r.mode && r.mode !== r.kind);
for (const r of wrongMode) console.log(`- ${r.tag}: expected mode ${r.kind}, the player said ${r.mode}`);
