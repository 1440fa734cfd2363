// The film's status in words (what the server waits for, with its figures) and how the page gets it:
// pushed by the server (server-sent events) and, when that fails, asked for again by Play.
import { root, message, lang, megabytes } from './page.js';

const rate = bytes => message('rate', (bytes / 1048576).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }));

// What the server waits for, with its figures; the estimate only once the server gives one (data flows).
const waiting = status => {
  const w = status.waiting;
  const parts = [];
  switch (w.step) {
    case 'PEERS':
      parts.push(message('wait-peers', w.connected, w.seeds));
      break;
    case 'METADATA':
      parts.push(message('wait-metadata', status.peers));
      break;
    case 'HEAD':
    case 'INDEX':
      parts.push(message('wait-' + w.step, megabytes(w.have), megabytes(w.need)));
      if (status.rate > 0) {
        parts.push(rate(status.rate));
      }
      if (w.seconds !== null && w.seconds !== undefined) {
        parts.push(message('wait-eta', w.seconds));
      }
      break;
    default:
      parts.push(message('wait-' + w.step));
  }
  return parts;
};

/** Phases after which the page stops asking: the member may press Play again. */
export const finalPhase = phase => ['UNAVAILABLE', 'FAILED', 'PAUSED', 'LIMITED', 'DISK_FULL', 'BUSY'].includes(phase);

/** Whether the server holds the whole film file. */
export const wholeHere = status => Array.isArray(status.have) && status.have.length === 1
  && status.have[0][0] === 0 && status.have[0][1] === 1;

/**
 * Whether the page waits for a later status: until READY, and after it while subtitle tracks grow, the
 * film still downloads (the seek bar shows what the server holds) or more seek-bar thumbnails will come.
 */
export const waitsFor = status => !finalPhase(status.phase)
  && (status.phase !== 'READY' || status.subtitlesGrowing || status.thumbnailsGrowing || !wholeHere(status));

/** The status line and its detail, in the player's overlay. */
export const showState = (status, text, detail) => {
  root.dataset.phase = status.phase;
  if (status.phase === 'LIMITED' && status.retryAt) {
    text.textContent = message('limited', new Date(status.retryAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }));
  } else {
    text.textContent = status.error && status.phase === 'FAILED' ? message('failed') : message(status.phase);
  }
  const details = [];
  if (status.waiting) {
    details.push(...waiting(status));
  } else if (!finalPhase(status.phase)) {
    details.push(message('peers', status.peers));
    if (status.rate > 0) {
      details.push(rate(status.rate));
    }
  }
  detail.textContent = details.join(' · ');
};

/**
 * The status of one film as it changes: `ask()` sends Play (returns the status), `handle(status)` gets every
 * status; events are opened after the first answer while the page still waits, polling when they fail.
 */
export class StatusFeed {
  constructor(ask, handle, onError) {
    this.ask = ask;
    this.handle = handle;
    this.onError = onError;
    this.polling = null;
    this.events = null;
    this.failures = 0; // streams that failed in a row: after 3, the page only polls
    this.last = null;
  }

  stop() {
    if (this.polling) {
      clearTimeout(this.polling);
      this.polling = null;
    }
    this.close();
  }

  close() {
    if (this.events) {
      this.events.close();
      this.events = null;
    }
  }

  receive(status) {
    this.last = status;
    this.handle(status);
    if (!waitsFor(status)) {
      this.close();
    }
  }

  open(params) {
    if (!window.EventSource || this.failures >= 3 || !root.dataset.eventsUrl) {
      return false;
    }
    const source = new EventSource(root.dataset.eventsUrl + '?' + new URLSearchParams(params).toString());
    this.events = source;
    source.addEventListener('status', event => {
      this.failures = 0;
      let status;
      try {
        status = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      this.receive(status);
    });
    source.addEventListener('error', () => {
      if (this.events !== source) {
        return;
      }
      this.close();
      this.failures++;
      if (!this.polling && (!this.last || waitsFor(this.last))) {
        this.polling = setTimeout(() => this.poll(params), 1000);
      }
    });
    return true;
  }

  async poll(params) {
    this.polling = null;
    let status;
    try {
      status = await this.ask();
    } catch (e) {
      this.onError();
      this.polling = setTimeout(() => this.poll(params), 3000);
      return;
    }
    this.receive(status);
    if (waitsFor(status) && !this.events && !this.open(params)) {
      this.polling = setTimeout(() => this.poll(params),
        status.phase === 'PREPARING' ? 400 : status.phase === 'READY' ? 15000 : 1000);
    }
  }
}
