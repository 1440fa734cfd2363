// Watch progress: the position is saved every few seconds while playing and on pause, end and leaving.
import { root, post } from './page.js';

/**
 * One save on its way at a time: a position asked for meanwhile waits for it (only the newest), and a
 * position already sent is not sent again (a closing page fires pause and pagehide together, an ending film
 * pause and ended). Saves are keepalive, so the one on its way outlives the page.
 */
export const saveProgress = (video, playing, knownDuration) => {
  let lastSaved = -1;
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
    const length = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : knownDuration();
    const position = video.currentTime;
    if (playing() && length > 0 && Math.abs(position - lastSaved) >= (force ? 0.05 : 2)) {
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
};
