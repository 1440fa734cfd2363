// Checks the light viewer against real browsers: N headless Chromium pages (Playwright, as in
// bench/playback) each signed in as a member, on the film's page, press Play and watch for SECONDS at
// 1x. Every second each page notes how far its <video> is buffered ahead of the play head; a stall is a
// 'waiting' event after playing began. Used by bench.mjs --chromium N.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
// playwright-core is installed for bench/playback (its run.sh: npm ci); it drives Debian's Chromium.
const { chromium } = createRequire(path.join(here, '../playback/package.json'))('playwright-core');

const WATCH = `(() => {
  const b = window.__viewer = { waiting: 0, playingAt: null, ahead: [] };
  const t0 = performance.now();
  document.addEventListener('playing', () => { if (b.playingAt === null) b.playingAt = performance.now() - t0; }, true);
  document.addEventListener('waiting', () => { if (b.playingAt !== null) b.waiting++; }, true);
  setInterval(() => {
    const v = document.getElementById('video');
    if (!v || b.playingAt === null) return;
    let end = v.currentTime;
    for (let i = 0; i < v.buffered.length; i++) if (v.buffered.start(i) <= v.currentTime + 0.5) end = Math.max(end, v.buffered.end(i));
    b.ahead.push(end - v.currentTime);
  }, 1000);
})();`;

/** members: [{ cookie }] signed in on base; returns one result per page. */
export async function chromiumViewers(base, filmId, members, seconds) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
  try {
    return await Promise.all(members.map(async m => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addCookies(m.cookie.split('; ').map(c => {
        const eq = c.indexOf('=');
        return { name: c.slice(0, eq), value: c.slice(eq + 1), url: base };
      }));
      await ctx.addInitScript(WATCH);
      const page = await ctx.newPage();
      await page.goto(`${base}/films/${filmId}`);
      await page.click('#play-button');
      await page.waitForFunction(() => window.__viewer.playingAt !== null, null, { timeout: 60000 });
      await page.waitForTimeout(seconds * 1000);
      const r = await page.evaluate(() => {
        const v = document.getElementById('video');
        return { ...window.__viewer, played: v.currentTime };
      });
      await ctx.close();
      const ahead = [...r.ahead].sort((a, b) => a - b);
      return { startupMs: Math.round(r.playingAt), stalls: r.waiting, played: r.played,
        aheadMedian: ahead[ahead.length >> 1] ?? null, aheadMax: ahead[ahead.length - 1] ?? null };
    }));
  } finally {
    await browser.close();
  }
}
