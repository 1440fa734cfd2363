// The film page's player: Play starts (or joins) the download, the overlay says what happens until the
// film is ready, then the <video> plays it directly or through hls.js (converted streams) under our
// controls (player/controls.js). Every text comes from the page (message bundles), none is written here.
import { root, post, message, label } from './player/page.js';
import { StatusFeed, showState, finalPhase } from './player/status.js';
import { saveProgress } from './player/progress.js';
import { Controls } from './player/controls.js';
import { shortcuts, doubleTaps } from './player/keys.js';

const video = document.getElementById('video');
const button = document.getElementById('play-button');
const overlay = root.querySelector('.player-state');
const stateText = document.getElementById('player-state-text');
const stateDetail = document.getElementById('player-state-detail');
const buffer = document.getElementById('player-buffer');
const skipNote = document.getElementById('player-skip');

let hls = null;
let current = null;       // the READY status being played
let duration = 0;         // seconds, from the probe (a converted stream may not know it at once)
let pendingSeek = null;   // where to start once the media is loaded
const choice = { audio: '', quality: 'P720' };

// What this browser says it plays ("mp4.avc1 mkv.hevc mse.aac ..."), sent with Play and the status events:
// the server chooses direct play, remux or transcode from it (Playable.java names the same containers and codecs).
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

// This page's own id on a converted stream's addresses (PlayerPage.java): a member's pages on other devices or
// tabs are other viewers (sent with Play too: the ffmpeg Play starts ahead of the player is this page's), so a quality or audio switch here never stops the ffmpeg another page plays.
const page = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');

/** The viewer's choices, sent with Play and with the status events. */
const choices = () => {
  const params = { plays, p: page };
  if (choice.audio !== '') {
    params.audio = choice.audio;
  }
  params.quality = choice.quality;
  return params;
};

/** The Play request: starts or joins the download and answers the film's status. */
const playRequest = () => post(root.dataset.playUrl, choices()).then(r => {
  if (!r.ok) {
    throw new Error('play ' + r.status);
  }
  return r.json();
});

const switchVariant = change => {
  Object.assign(choice, change);
  pendingSeek = video.currentTime;
  current = null;
  feed.stop();
  feed.start(choices());
};

const controls = new Controls(video, switchVariant);

let announceTimer = null;
const announce = seconds => {
  skipNote.textContent = label(seconds < 0 ? 'back' : 'forward', Math.abs(seconds));
  skipNote.hidden = false;
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { skipNote.hidden = true; }, 800);
};

const escapeHtml = text => text.replace(/[&<>"']/g,
  c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

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
    // Plyr writes a track's label into its captions menu as HTML; the label may come from a torrent's file
    // names or a film's track titles, so it is given as text with its markup characters escaped.
    track.srclang = /^[A-Za-z0-9-]{1,35}$/.test(t.language || '') ? t.language : '';
    track.label = escapeHtml(t.label || '');
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

const converted = src => src + (src.includes('?') ? '&' : '?') + 'p=' + page;

const load = status => {
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
    hls.loadSource(converted(status.src));
    hls.attachMedia(video);
  } else {
    video.src = converted(status.src);
  }
};

/**
 * The controls (Plyr), built while Play is on its way and kept out of sight until the film starts: the
 * source is then given to the <video> without waiting for them.
 */
const build = () => {
  if (controls.player) {
    return controls.player;
  }
  const player = controls.build();
  if (!root.classList.contains('playing')) {
    player.elements.container.style.display = 'none';
  }
  return player;
};

const start = status => {
  showTracks(status.subtitles || []);
  const sameSource = current && current.src === status.src;
  current = status;
  root.dataset.mode = status.mode;
  root.dataset.src = status.src;
  duration = status.duration || 0;
  if (!sameSource && pendingSeek === null && status.resumeAt > 0) {
    pendingSeek = status.resumeAt;
  }
  if (!root.classList.contains('playing')) {
    // Built at the click (while Play was on its way): shown now, before the source is given.
    const player = build();
    player.elements.container.style.display = '';
    video.hidden = false;
    button.hidden = true;
    controls.adopt(overlay);
    controls.adopt(skipNote);
    root.classList.add('playing');
    shortcuts(player, video, announce);
    doubleTaps(player.elements.container.querySelector('.plyr__video-wrapper') || video, video, announce);
  }
  if (!sameSource) {
    load(status);
    video.play().catch(e => {
      // The browser would not start the film by itself (its autoplay policy): the person presses play.
      if (e && e.name === 'NotAllowedError') {
        stateText.textContent = message('press-play');
        stateDetail.textContent = '';
      }
    });
  }
  controls.showChoices(status);
  controls.showServerRanges(status.have);
  // The seek-bar thumbnails, once the server says some are made (their index would answer 404 before); while the
  // film downloads the index grows, and its version in the address makes the player fetch the larger one.
  if (status.thumbnails) {
    controls.showThumbnails(root.dataset.thumbnailsUrl + '?v=' + encodeURIComponent(status.thumbnailsVersion || ''));
  }
};

const handle = status => {
  if (!(current && status.phase === 'READY')) {
    showState(status, stateText, stateDetail);
    buffer.hidden = status.phase !== 'PREPARING';
    buffer.value = status.buffer || 0;
  }
  if (status.phase === 'READY') {
    start(status);
  } else if (finalPhase(status.phase)) {
    button.disabled = false;
  }
  if (status.have && controls.player) {
    controls.showServerRanges(status.have);
  }
};

const feed = new StatusFeed(playRequest, handle, () => { stateText.textContent = message('error'); });

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
  root.dataset.playing = 'true';
});
video.addEventListener('waiting', () => {
  stateText.textContent = message('stalled');
});

saveProgress(video, () => current !== null, () => duration);

button.addEventListener('click', () => {
  button.disabled = true;
  feed.start(choices());
  setTimeout(build, 0);
});
button.disabled = false;
