// One case of FirefoxBrowserTest in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (no
// driver binary): node cases.mjs BASE_URL CASE 'JSON_ARGUMENTS'. Every case signs up and signs in first, as
// a person does. The last line printed is a JSON object: what the page showed (the Java test asserts it),
// the console's errors and warnings, and the error that stopped the case, if any.
import puppeteer from 'puppeteer-core';

const [base, name, json] = process.argv.slice(2);
const args = JSON.parse(json || '{}');
const WAIT = { timeout: 90_000, polling: 200 };

// The selectors this script depends on, in one place: the video element and the player's data attributes.
const PLAY_BUTTON = '#play-button';
const VIDEO = 'video';
const PLAYER = '[data-play-url]';

const facts = {};
const console_ = [];

async function signUp(page, person) {
  await page.goto(base + '/register');
  await page.type('#email', person.email);
  await page.type('#username', person.username);
  await page.type('#firstName', 'Ada');
  await page.type('#lastName', 'Lovelace');
  await page.type('#password', person.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  facts.afterSignUp = new URL(page.url()).pathname + new URL(page.url()).search;
  await page.goto(base + '/login');
  await page.type('#username', person.username);
  await page.type('#password', person.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  facts.afterSignIn = new URL(page.url()).pathname;
}

// Presses Play on the film page and waits until the video plays: the mode the server chose, the answers the
// page sent with Play, and the time moving on.
async function play(page) {
  // What the page sends with Play (BiDi gives no request bodies): the form of its first POST to /play (or
  // /play/events, Play with its status stream); and,
  // for a failure message, what happened to the video (refused play() calls, media events).
  await page.evaluateOnNewDocument(() => {
    window.mediaLog = [];
    const playing = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      const promise = playing.call(this);
      promise.catch(e => window.mediaLog.push('play() refused: ' + e));
      return promise;
    };
    for (const name of ['loadstart', 'loadedmetadata', 'playing', 'waiting', 'stalled', 'suspend', 'abort', 'emptied', 'error']) {
      document.addEventListener(name, e => window.mediaLog.push(Math.round(performance.now()) + ' ' + name), true);
    }
    const fetch = window.fetch;
    window.fetch = (url, options) => {
      if (/\/play(\/events)?$/.test(String(url)) && options && options.body instanceof URLSearchParams && !window.sentPlays) {
        window.sentPlays = options.body.get('plays');
      }
      return fetch.call(window, url, options);
    };
  });
  await page.goto(base + '/films/' + args.film);
  await page.click(PLAY_BUTTON);
  // Firefox may refuse to start the film by itself (its autoplay policy, the first seconds after the click gone):
  // the page then says so, and a person presses the player's play button.
  const started = await page.waitForFunction(v => {
    const video = document.querySelector(v);
    if (video && video.currentTime > 0.5) {
      return 'playing';
    }
    const refused = (window.mediaLog || []).some(line => line.includes('NotAllowedError'));
    // (refused, Firefox may also stop loading: readyState 0, a 'suspend'; the person's press loads and plays it)
    return refused && video && video.paused ? 'refused' : false;
  }, WAIT, VIDEO).then(handle => handle.jsonValue());
  if (started === 'refused') {
    facts.autoplayRefused = await page.$eval('#player-state-text', e => e.textContent);
    await page.click('#player .plyr__control--overlaid');
    await page.waitForFunction(v => document.querySelector(v).currentTime > 0.5, WAIT, VIDEO);
  }
  facts.mode = await page.$eval(PLAYER, p => p.dataset.mode);
  facts.src = await page.$eval(PLAYER, p => p.dataset.src);
  facts.plays = await page.evaluate(() => window.sentPlays);
  facts.startedAt = await video(page, v => v.currentTime);
  await page.waitForFunction((v, t) => document.querySelector(v).currentTime > t + 1, WAIT, VIDEO, facts.startedAt);
  facts.advancedTo = await video(page, v => v.currentTime);
  facts.duration = await video(page, v => v.duration);
  facts.hasAudio = await video(page, v => v.mozHasAudio === true);
}

// Runs f(video, argument) in the page.
const video = (page, f, argument) => page.$eval(VIDEO, f, argument);

const cases = {
  'sign-up': async page => {
    facts.filmCards = await page.$$eval('.film-title', titles => titles.length);
  },
  search: async page => {
    await page.type('#q', args.query);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    facts.url = page.url();
    facts.titles = await page.$$eval('.film-title', titles => titles.map(t => t.textContent.trim()));
  },
  'film-page': async page => {
    await page.goto(base + '/films/' + args.film);
    facts.heading = await page.$eval('h1', h => h.textContent.trim());
    facts.playButton = await page.$(PLAY_BUTTON) !== null;
    facts.video = await page.$(VIDEO) !== null;
  },
  play: async page => {
    await play(page);
    if (args.seekTo) {
      facts.seekTarget = args.seekTo * facts.duration;
      await video(page, (v, t) => { v.currentTime = t; }, facts.seekTarget);
      await page.waitForFunction((v, t) => { const x = document.querySelector(v); return !x.seeking && x.currentTime > t + 1; },
        WAIT, VIDEO, facts.seekTarget);
      facts.afterSeek = await video(page, v => v.currentTime);
    }
    facts.error = await video(page, v => v.error ? v.error.code : 0);
    facts.paused = await video(page, v => v.paused);
  },
  subtitles: async page => {
    await play(page);
    facts.tracks = await video(page, v => [...v.textTracks].map(t => t.language + ':' + t.label));
    await video(page, (v, a) => {
      for (const t of v.textTracks) {
        t.mode = t.language === a.language ? 'showing' : 'disabled';
      }
      v.currentTime = a.at;
    }, args);
    // The page may reload a track while the film downloads: the wait is for the cue itself.
    await page.waitForFunction((v, lang, text) => {
      const t = [...document.querySelector(v).textTracks].find(x => x.language === lang);
      return t && t.activeCues && [...t.activeCues].some(c => c.text === text);
    }, WAIT, VIDEO, args.language, args.cue);
    facts.cue = args.cue;
  },
};

let browser;
let page;
let failure = null;
try {
  if (!cases[name]) {
    throw new Error('no case ' + name);
  }
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    protocolTimeout: 120_000,
    extraPrefsFirefox: { 'intl.accept_languages': 'en-US', 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false },
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  page.setDefaultTimeout(30_000);
  page.on('console', message => {
    if (message.type() === 'error' || message.type() === 'warn') {
      console_.push(message.type() + ' on ' + page.url() + ': ' + message.text());
    }
  });
  page.on('pageerror', error => console_.push('page error on ' + page.url() + ': ' + error));
  facts.userAgent = await browser.version();
  await signUp(page, args.person);
  await cases[name](page);
} catch (e) {
  failure = String(e && e.stack || e);
  // Where the page stood, for the failure message.
  if (page) {
    facts.stoppedAt = await page.evaluate((v, p) => {
      const video = document.querySelector(v);
      const player = document.querySelector(p);
      return {
        url: location.pathname, log: window.mediaLog, player: player ? Object.fromEntries(Object.entries(player.dataset).filter(([k]) => !k.startsWith('msg'))) : null,
        state: [...document.querySelectorAll('#player-state-text, #player-state-detail')].map(e => e.textContent).join(' | '),
        video: video ? { currentTime: video.currentTime, paused: video.paused, readyState: video.readyState,
          networkState: video.networkState, error: video.error && video.error.message, src: video.currentSrc } : null,
      };
    }, VIDEO, PLAYER).catch(e => String(e));
  }
} finally {
  if (browser) {
    await browser.close().catch(() => {});
  }
}
process.stdout.write('\n' + JSON.stringify({ case: name, facts, console: console_, failure }) + '\n');
