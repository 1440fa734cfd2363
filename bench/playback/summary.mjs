// Medians of a results.json written by bench.mjs, ratios and the targets, as Markdown tables.
//   node summary.mjs results.json
import fs from 'node:fs';

const { rate, seeders, played, results } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
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

console.log(`Swarm: ${seeders} seeders × ${(rate / 1e6).toFixed(1)} MB/s; bytes after ${played} s played.\n`);
console.log('| client | film | runs ok (seek / bytes) | Play → playing (median) | per run | seek 70 % → playing (median) | per run | fetched / played after ' + played + ' s (median) | per run | stalls in ' + played + ' s |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const combos = [['ours', 'direct'], ['ours', 'remux'], ['ours', 'transcode'], ['peerflix', 'direct'], ['floor', 'direct']];
for (const [client, kind] of combos) {
  const seek = rows(client, kind, 'seek');
  const bytes = rows(client, kind, 'bytes');
  if (!seek.length && !bytes.length) continue;
  const play = [...ok(seek), ...ok(bytes)].map(r => r.playMs);
  console.log(`| ${client} | ${kind} | ${ok(seek).length}/${seek.length} / ${ok(bytes).length}/${bytes.length} | ${f0(median(play))} ms | ${play.map(f0).join(', ')} | `
    + `${f0(med(client, kind, 'seek', 'seekMs'))} ms | ${list(client, kind, 'seek', 'seekMs')} | `
    + `${f2(med(client, kind, 'bytes', 'fetchedPerPlayed'))} | ${list(client, kind, 'bytes', 'fetchedPerPlayed', f2)} | ${list(client, kind, 'bytes', 'stalls')} |`);
}
const playOf = (client, kind) => median([...ok(rows(client, kind, 'seek')), ...ok(rows(client, kind, 'bytes'))].map(r => r.playMs));
const pf = playOf('peerflix', 'direct');
const floor = playOf('floor', 'direct');
const pfSeek = med('peerflix', 'direct', 'seek', 'seekMs');
console.log('\n| ratio | value | target | met |');
console.log('|---|---|---|---|');
const target = (name, v, limit) => console.log(`| ${name} | ${f2(v)} | ≤ ${limit} | ${v == null ? 'not measured' : v <= limit ? 'yes' : '**no**'} |`);
for (const kind of ['direct', 'remux', 'transcode']) {
  const p = playOf('ours', kind);
  target(`first frame ours ${kind} / peerflix`, p && pf ? p / pf : null, 0.5);
}
const remux = playOf('ours', 'remux');
target('first frame ours remux / floor', remux && floor ? remux / floor : null, 1.5);
for (const kind of ['direct', 'remux', 'transcode']) {
  const s = med('ours', kind, 'seek', 'seekMs');
  target(`seek ours ${kind} / peerflix`, s && pfSeek ? s / pfSeek : null, 0.5);
}
for (const kind of ['direct', 'remux', 'transcode']) {
  target(`fetched / played, ours ${kind}`, med('ours', kind, 'bytes', 'fetchedPerPlayed'), 1.3);
}
console.log(`\nfirst frame ours direct / floor: ${f2(playOf('ours', 'direct') / floor)}; `
  + `ours from the click (not the add): direct ${f0(median(ok(counted.filter(r => r.client === 'ours' && r.kind === 'direct')).map(r => r.playFromClickMs)))} ms, `
  + `remux ${f0(median(ok(counted.filter(r => r.client === 'ours' && r.kind === 'remux')).map(r => r.playFromClickMs)))} ms, `
  + `transcode ${f0(median(ok(counted.filter(r => r.client === 'ours' && r.kind === 'transcode')).map(r => r.playFromClickMs)))} ms; `
  + `peerflix from video.src: ${f0(median(ok(counted.filter(r => r.client === 'peerflix')).map(r => r.playFromSrcMs)))} ms`);
const failed = counted.filter(r => r.failed);
if (failed.length) {
  console.log('\nFailed runs:');
  for (const r of failed) console.log(`- ${r.client} ${r.kind} ${r.test} ${r.tag}: ${r.failed}`);
}
const wrongMode = counted.filter(r => r.client === 'ours' && r.mode && r.mode !== r.kind);
for (const r of wrongMode) console.log(`- ${r.tag}: expected mode ${r.kind}, the player said ${r.mode}`);
