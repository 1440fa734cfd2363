// Prints the viewers benchmark's table (Markdown, as in docs/BENCHMARKS.md) from results.json.
//   node summary.mjs results.json
import fs from 'node:fs';

const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const f = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '-' : Number(x).toFixed(d));
console.log(`\n${r.instances} instance(s), build lock ${r.buildLock}; each viewer plays ${r.seconds} s at ${r.pace}x real time, ${r.ahead} s buffered ahead at most\n`);
console.log('| film | viewers | stalled viewers (stalls, s) | start median / max ms | sustained rate min / median (x bitrate) | request rate min / median (x bitrate) | server CPU (cores) | per viewer (% of a core) | ffmpeg at once / started (CPU cores); nginx (cores) | client CPU (cores), loop p99 ms | machine busy |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const s of r.results) {
  if (s.check === 'chromium') continue;
  if (s.failed) {
    console.log(`| ${s.kind} | ${s.viewers} | failed: ${s.failed} |||||||||`);
    continue;
  }
  console.log(`| ${s.kind} (${s.mode}, ${f(s.bitrateMbps, 1)} Mb/s) | ${s.viewers} | ${s.stalledViewers}${s.lateStarts ? ` + ${s.lateStarts} started late` : ''} (${s.stalls}, ${f(s.stallSeconds, 1)}) `
    + `| ${s.startupMsMedian ?? '-'} / ${s.startupMsMax ?? '-'} | ${f(s.sustainedMin)} / ${f(s.sustainedMedian)} `
    + `| ${f(s.requestRateMin, 1)} / ${f(s.requestRateMedian, 1)} | ${f(s.serverCpuCores)} | ${f(s.serverCpuPerViewerPct, 2)} `
    + `| ${s.ffmpegMax} / ${s.ffmpegStarted} (${f(s.ffmpegCpuCores)})${s.proxyCpuCores ? `; nginx ${f(s.proxyCpuCores)}` : ''} | ${f(s.clientCpuCores)}, ${f(s.clientLoopDelayP99Ms, 0)} | ${f(100 * s.machineBusy, 0)} % |`);
}
const kinds = [...new Set(r.results.map(s => s.kind))];
for (const k of kinds) {
  const ok = r.results.filter(s => s.kind === k && !s.failed && s.stalledViewers === 0 && !s.lateStarts && s.errors === 0);
  const best = ok.reduce((a, s) => (!a || s.viewers > a.viewers ? s : a), null);
  console.log(`${k}: largest N with no stall: ${best ? best.viewers : 'none'}`);
}
for (const c of r.results.filter(s => s.check === 'chromium')) {
  console.log(`\n${c.kind}, ${c.viewers} viewers at 1x for ${c.seconds} s: light client ${c.light.stalls} stalls, start ${c.light.startupMsMedian} ms, `
    + `server ${f(c.light.serverCpuCores)} cores; Chromium ${c.chromium.map(p => `${p.stalls} stalls, start ${p.startupMs} ms, `
    + `buffered ahead median ${f(p.aheadMedian, 0)} s / max ${f(p.aheadMax, 0)} s`).join('; ')}; server ${f(c.chromiumServerCpuCores)} cores`);
}
