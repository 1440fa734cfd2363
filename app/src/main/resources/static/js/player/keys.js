// Keyboard shortcuts (as on the common video sites) and double taps on the sides of the picture (phones).
// Plyr's own shortcuts are off: its "l" loops, where ours skips 10 s.

// Where keys type or move within a menu; the seek and volume sliders take our shortcuts.
const editable = element => element && element.closest
  && element.closest('input:not([type=range]), textarea, select, [contenteditable=""], [contenteditable="true"], [role^="menuitem"]');

const clamp = (value, min, max) => Math.min(max, Math.max(min, value));

/** The shortcuts on the page once the film plays; `player` is the Plyr instance. */
export const shortcuts = (player, video, announce) => {
  const skip = seconds => {
    const length = Number.isFinite(video.duration) ? video.duration : Infinity;
    video.currentTime = clamp(video.currentTime + seconds, 0, length);
    announce(seconds);
  };
  const actions = {
    ' ': () => player.togglePlay(),
    k: () => player.togglePlay(),
    ArrowLeft: () => skip(-5),
    ArrowRight: () => skip(5),
    j: () => skip(-10),
    l: () => skip(10),
    ArrowUp: () => { video.muted = false; video.volume = clamp(video.volume + 0.1, 0, 1); },
    ArrowDown: () => { video.volume = clamp(video.volume - 0.1, 0, 1); },
    f: () => player.fullscreen.toggle(),
    m: () => { video.muted = !video.muted; },
    c: () => player.toggleCaptions(),
  };
  // Keys are the player's only while nothing else on the page has the focus (WCAG 2.1.4): on a link, the
  // torrents table or the comments, the arrows and space scroll and press as everywhere else.
  const area = video.closest('#player') || video.parentElement;
  const ours = target => target === document.body || target === document.documentElement || area.contains(target);
  document.addEventListener('keydown', event => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || editable(event.target)
        || !ours(event.target)) {
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    // Space on a focused button presses the button.
    if (key === ' ' && event.target.closest && event.target.closest('button, a')) {
      return;
    }
    if (/^[0-9]$/.test(key) && !event.shiftKey) {
      if (Number.isFinite(video.duration)) {
        video.currentTime = video.duration * Number(key) / 10;
      }
    } else if (actions[key] && !event.shiftKey) {
      actions[key]();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }, true);
};

/** Double taps on the left or right third of the picture skip 10 s back or forward (touch screens). */
export const doubleTaps = (surface, video, announce) => {
  let lastTap = 0;
  let lastSide = null;
  surface.addEventListener('touchend', event => {
    if (event.changedTouches.length !== 1) {
      return;
    }
    const touch = event.changedTouches[0];
    const box = surface.getBoundingClientRect();
    const x = (touch.clientX - box.left) / box.width;
    const side = x < 1 / 3 ? -1 : x > 2 / 3 ? 1 : 0;
    const now = event.timeStamp;
    if (side !== 0 && side === lastSide && now - lastTap < 350) {
      video.currentTime = clamp(video.currentTime + side * 10, 0, Number.isFinite(video.duration) ? video.duration : Infinity);
      announce(side * 10);
      event.preventDefault();
      lastTap = 0;
      lastSide = null;
      return;
    }
    lastTap = now;
    lastSide = side;
  });
};
