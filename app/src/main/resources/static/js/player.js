// The film page's player: Play starts (or joins) the download, the state shows until the film is
// ready, then the <video> plays it directly or through hls.js (converted streams). Watch progress is
// saved every few seconds. Every text comes from the page (message bundles), none is written here.
(() => {
  'use strict';
  const root = document.getElementById('player');
  if (!root) {
    return;
  }
  const video = document.getElementById('video');
  const button = document.getElementById('play-button');
  const stateText = document.getElementById('player-state-text');
  const stateDetail = document.getElementById('player-state-detail');
  const buffer = document.getElementById('player-buffer');
  const options = document.getElementById('player-options');
  const audioChoice = document.getElementById('audio-choice');
  const audioSelect = document.getElementById('audio-select');
  const qualityChoice = document.getElementById('quality-choice');
  const qualitySelect = document.getElementById('quality-select');
  const csrfToken = document.querySelector('meta[name="csrf-token"]');
  const csrfHeader = document.querySelector('meta[name="csrf-header"]');

  let hls = null;
  let current = null;       // the READY status being played
  let duration = 0;         // seconds, from the probe (a converted stream may not know it at once)
  let pendingSeek = null;   // where to start once the media is loaded
  let lastSaved = -1;
  let polling = null;
  let events = null;        // the EventSource pushing the status, while one is open
  let eventFailures = 0;    // streams that failed in a row: after 3, the page only polls

  const message = (name, ...args) => {
    const key = 'msg' + name.split(/[_-]/).map(w => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
    let text = root.dataset[key] || '';
    args.forEach((a, i) => { text = text.replace('{' + i + '}', a); });
    return text;
  };

  const post = async (url, params, keepalive = false) => {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (csrfToken && csrfHeader) {
      headers[csrfHeader.content] = csrfToken.content;
    }
    return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params), credentials: 'same-origin',
      keepalive });
  };

  const rate = bytes => {
    const mb = bytes / 1048576;
    return message('rate', mb.toLocaleString(document.documentElement.lang || undefined,
      { maximumFractionDigits: 1, minimumFractionDigits: 1 }));
  };

  const megabytes = bytes => (bytes / 1048576).toLocaleString(document.documentElement.lang || undefined,
    { maximumFractionDigits: 1, minimumFractionDigits: 1 });

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

  // Phases after which the page stops asking: the member may press Play again.
  const finalPhase = phase => ['UNAVAILABLE', 'FAILED', 'PAUSED', 'LIMITED', 'DISK_FULL'].includes(phase);

  const showState = status => {
    root.dataset.phase = status.phase;
    if (status.phase === 'LIMITED' && status.retryAt) {
      stateText.textContent = message('limited', new Date(status.retryAt).toLocaleTimeString(
        document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' }));
    } else {
      stateText.textContent = status.error && (status.phase === 'FAILED')
        ? message('failed') : message(status.phase);
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
    stateDetail.textContent = details.join(' · ');
    const showBuffer = status.phase === 'PREPARING';
    buffer.hidden = !showBuffer;
    buffer.value = status.buffer || 0;
  };

  // What this browser says it plays ("mp4.avc1 mkv.hevc mse.aac ..."), sent with Play: the server chooses
  // direct play, remux or transcode from it (Playable.java names the same containers and codecs).
  const plays = (() => {
    const codecs = { avc1: 'avc1.640033', hevc: 'hvc1.1.6.L153.B0', av1: 'av01.0.13M.08', vp9: 'vp09.00.51.08',
      vp8: 'vp8', aac: 'mp4a.40.2', ac3: 'ac-3', eac3: 'ec-3', opus: 'opus', mp3: 'mp3', flac: 'flac',
      vorbis: 'vorbis', dts: 'dtsc', truehd: 'mlpa' };
    const containers = { mp4: 'video/mp4', webm: 'video/webm', mkv: 'video/x-matroska' };
    const yes = [];
    for (const [name, codec] of Object.entries(codecs)) {
      for (const [container, type] of Object.entries(containers)) {
        if (video.canPlayType(type + '; codecs="' + codec + '"') !== '') {
          yes.push(container + '.' + name);
        }
      }
      if (window.MediaSource && MediaSource.isTypeSupported('video/mp4; codecs="' + codec + '"')) {
        yes.push('mse.' + name);
      }
    }
    return yes.join(' ');
  })();

  const request = () => {
    const params = { plays };
    if (audioSelect.value !== '') {
      params.audio = audioSelect.value;
    }
    params.quality = qualitySelect.value;
    return post(root.dataset.playUrl, params).then(r => {
      if (!r.ok) {
        throw new Error('play ' + r.status);
      }
      return r.json();
    });
  };

  const closeEvents = () => {
    if (events) {
      events.close();
      events = null;
    }
  };

  // Whether the page waits for a later status: until READY, and after it while subtitle tracks grow.
  const waitsFor = status => !finalPhase(status.phase) && (status.phase !== 'READY' || status.subtitlesGrowing);

  const handle = status => {
    if (!(current && status.phase === 'READY')) {
      showState(status);
    }
    if (status.phase === 'READY') {
      start(status);
    } else if (finalPhase(status.phase)) {
      button.disabled = false;
    }
    if (!waitsFor(status)) {
      closeEvents();
    }
  };

  // The status pushed by the server (server-sent events); when the stream fails or ends, one poll asks
  // again and opens a new one if the page still waits.
  const openEvents = () => {
    if (!window.EventSource || eventFailures >= 3 || !root.dataset.eventsUrl) {
      return false;
    }
    const params = new URLSearchParams();
    if (audioSelect.value !== '') {
      params.set('audio', audioSelect.value);
    }
    params.set('quality', qualitySelect.value);
    params.set('plays', plays);
    const source = new EventSource(root.dataset.eventsUrl + '?' + params.toString());
    events = source;
    source.addEventListener('status', event => {
      eventFailures = 0;
      let status;
      try {
        status = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      handle(status);
    });
    source.addEventListener('error', () => {
      if (events !== source) {
        return;
      }
      closeEvents();
      eventFailures++;
      if (!polling && (!current || current.subtitlesGrowing)) {
        polling = setTimeout(poll, 1000);
      }
    });
    return true;
  };

  const poll = async () => {
    polling = null;
    let status;
    try {
      status = await request();
    } catch (e) {
      stateText.textContent = message('error');
      polling = setTimeout(poll, 3000);
      return;
    }
    handle(status);
    if (waitsFor(status) && !events && !openEvents()) {
      polling = setTimeout(poll, status.phase === 'PREPARING' ? 400 : status.phase === 'READY' ? 15000 : 1000);
    }
  };

  const fillOptions = status => {
    audioSelect.replaceChildren();
    for (const a of status.audio) {
      const option = document.createElement('option');
      option.value = String(a.index);
      const parts = [a.language && a.language !== 'und' ? languageName(a.language) : message('track', a.index)];
      if (a.title) {
        parts.push(a.title);
      }
      if (a.channels) {
        parts.push(message('channels', a.channels));
      }
      option.textContent = parts.join(' · ');
      option.selected = a.selected;
      audioSelect.append(option);
    }
    audioChoice.hidden = status.audio.length < 2;
    qualityChoice.hidden = !status.qualityChoice;
    options.hidden = audioChoice.hidden && qualityChoice.hidden;
  };

  const languageName = code => {
    try {
      const names = new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' });
      return names.of(code) || code;
    } catch (e) {
      return code;
    }
  };

  const showTracks = subtitles => {
    const wanted = subtitles.map(t => t.src).join(' ');
    if (video.dataset.tracks === wanted) {
      return;
    }
    video.dataset.tracks = wanted;
    // A track whose address changed (its cues grew) keeps the mode the viewer gave it.
    const modes = {};
    for (const old of video.querySelectorAll('track')) {
      modes[old.dataset.id] = old.track.mode;
      old.remove();
    }
    let defaultGiven = false;
    for (const t of subtitles) {
      const track = document.createElement('track');
      track.kind = 'subtitles';
      track.src = t.src;
      track.srclang = t.language;
      track.label = t.label;
      track.dataset.id = t.id;
      if (t.isDefault && !defaultGiven) {
        track.default = true;
        defaultGiven = true;
      }
      video.append(track);
      if (modes[t.id]) {
        track.track.mode = modes[t.id];
      }
    }
  };

  const start = status => {
    showTracks(status.subtitles || []);
    const sameSource = current && current.src === status.src;
    current = status;
    root.dataset.mode = status.mode;
    root.dataset.src = status.src;
    duration = status.duration || 0;
    fillOptions(status);
    if (sameSource) {
      return;
    }
    if (pendingSeek === null && status.resumeAt > 0) {
      pendingSeek = status.resumeAt;
    }
    video.hidden = false;
    button.hidden = true;
    if (hls) {
      hls.destroy();
      hls = null;
    }
    if (status.mode === 'direct') {
      video.src = status.src;
    } else if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ enableWorker: false, backBufferLength: 60, maxBufferLength: 30,
        startPosition: pendingSeek !== null ? pendingSeek : -1 });
      hls.on(window.Hls.Events.ERROR, (event, data) => {
        if (data.fatal) {
          stateText.textContent = message('error');
        }
      });
      hls.loadSource(status.src);
      hls.attachMedia(video);
    } else {
      video.src = status.src;
    }
    video.play().catch(() => { /* the person presses play on the video's own controls */ });
  };

  video.addEventListener('loadedmetadata', () => {
    if (pendingSeek !== null) {
      if (Math.abs(video.currentTime - pendingSeek) > 1) {
        video.currentTime = pendingSeek;
      }
      pendingSeek = null;
    }
  });
  video.addEventListener('playing', () => {
    stateText.textContent = '';
    stateDetail.textContent = '';
    buffer.hidden = true;
  });
  video.addEventListener('waiting', () => {
    stateText.textContent = message('stalled');
  });

  // One save on its way at a time: a position asked for meanwhile waits for it (only the newest), and
  // a position already sent is not sent again (a closing page fires pause and pagehide together, an
  // ending film pause and ended). Saves are keepalive, so the one on its way outlives the page.
  let inFlight = 0;
  let queued = null;
  const send = params => {
    inFlight++;
    post(root.dataset.progressUrl, params, true)
      .then(r => { if (!r.ok) { lastSaved = -1; } }, () => { lastSaved = -1; })
      .finally(() => {
        inFlight--;
        if (inFlight === 0 && queued) {
          const next = queued;
          queued = null;
          send(next);
        }
      });
  };
  const save = (force, leaving = false) => {
    const length = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : duration;
    const position = video.currentTime;
    if (current && length > 0 && Math.abs(position - lastSaved) >= (force ? 0.05 : 2)) {
      lastSaved = position;
      queued = { position: position.toFixed(1), duration: length.toFixed(1) };
    }
    // A page being closed runs no code once the save on its way is answered: a newer position goes at
    // once then (the rare case of two saves at once, which the server takes).
    if (queued && (inFlight === 0 || leaving)) {
      const next = queued;
      queued = null;
      send(next);
    }
  };
  setInterval(() => { if (!video.paused) { save(false); } }, 5000);
  video.addEventListener('pause', () => save(true));
  video.addEventListener('ended', () => save(true));
  window.addEventListener('pagehide', () => save(true, true));

  const switchVariant = () => {
    pendingSeek = video.currentTime;
    current = null;
    if (polling) {
      clearTimeout(polling);
      polling = null;
    }
    closeEvents();
    poll();
  };
  audioSelect.addEventListener('change', switchVariant);
  qualitySelect.addEventListener('change', switchVariant);

  button.addEventListener('click', () => {
    button.disabled = true;
    poll();
  });
  button.disabled = false;
})();
