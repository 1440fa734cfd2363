// The film's status in words (what the server waits for, with its figures) and how the page gets it:
// pushed by the server (server-sent events on Play's own answer) and, when that fails, asked for again by Play.
import { root, message, lang, megabytes, post } from './page.js';

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

/** The `status` events of a server-sent events text, as they complete; returns what is left of `text`. */
const statusEvents = (text, each) => {
  const blocks = text.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    let name = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) {
        name = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
    if (name === 'status' && data.length) {
      try {
        each(JSON.parse(data.join('\n')));
      } catch (e) {
        // not a status: skipped
      }
    }
  }
  return rest;
};

/**
 * The status of one film as it changes. `start(params)` sends Play and reads the answer as a stream of
 * statuses (server-sent events on the POST's own answer: Play's status first, then each change, no second
 * request); `handle(status)` gets every status. A stream that ends while the page still waits is asked for
 * again; after three failures in a row (a proxy that buffers it), the page polls with `ask()` (Play, one status).
 */
export class StatusFeed {
  constructor(ask, handle, onError) {
    this.ask = ask;
    this.handle = handle;
    this.onError = onError;
    this.polling = null;
    this.events = null;   // the stream being read: its AbortController
    this.failures = 0;    // streams that failed in a row: after 3, the page only polls
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
      this.events.abort();
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

  /** Play with the status stream on its answer; polls instead once streams have failed three times. */
  async start(params) {
    this.polling = null;
    if (!window.ReadableStream || !window.AbortController || !window.TextDecoder || this.failures >= 3
        || !root.dataset.eventsUrl) {
      return this.poll(params);
    }
    const stream = new AbortController();
    this.events = stream;
    let received = false;
    let refused = false;
    let events = 0;
    const opened = Date.now();
    try {
      const r = await post(root.dataset.eventsUrl, params, false, { accept: 'text/event-stream', signal: stream.signal });
      refused = !r.ok || !(r.headers.get('Content-Type') || '').startsWith('text/event-stream') || !r.body;
      if (!refused) {
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          text = statusEvents(text + decoder.decode(value, { stream: true }), status => {
            received = true;
            events++;
            if (events > 1) {
              this.failures = 0;
            }
            if (this.events === stream) {
              this.receive(status);
            }
          });
        }
      }
    } catch (e) {
      refused = !received;
    }
    if (this.events !== stream && this.events !== null) {
      return; // replaced by a newer stream
    }
    if (stream.signal.aborted && this.events === null) {
      return; // closed here: nothing more to wait for, or stopped
    }
    this.events = null;
    // A stream that brought only Play's own answer and ended at once (the server is at its limit of streams,
    // or a proxy holds the stream back) counts as failed, and is asked for again no sooner than a poll would be.
    const short = events <= 1 && Date.now() - opened < 5000;
    if (!received || short) {
      this.failures++;
      if (refused) {
        this.onError();
      }
    }
    if (!this.polling && (!this.last || waitsFor(this.last))) {
      this.polling = setTimeout(() => this.start(params),
        refused ? 3000 : short && this.last ? StatusFeed.pollDelay(this.last) : 1000);
    }
  }

  /** How long the page waits before asking again for a film in this status. */
  static pollDelay(status) {
    return status.phase === 'PREPARING' ? 400 : status.phase === 'READY' ? 15000 : 1000;
  }

  /** Play asked as one status, again and again while the page waits (when streams fail). */
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
    if (waitsFor(status)) {
      this.polling = setTimeout(() => this.poll(params), StatusFeed.pollDelay(status));
    }
  }
}
