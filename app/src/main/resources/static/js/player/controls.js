// Our controls over the <video>: Plyr (play, seek bar, time, volume, subtitles, speed, picture in
// picture, full screen) with our menus for audio, quality and subtitle appearance, and on the seek bar
// the parts of the film the server already holds next to what the browser buffered.
import { root, label, labels, post, languageName, message } from './page.js';
import { menu } from './menus.js';

const QUALITIES = ['ORIGINAL', 'P1080', 'P720', 'P480'];
const SIZES = ['S', 'M', 'L', 'XL'];
const BACKGROUNDS = ['NONE', 'HALF', 'SOLID'];

export class Controls {
  /**
   * @param video    the <video>
   * @param choose   called with {audio} or {quality} when the viewer picks another variant
   */
  constructor(video, choose) {
    this.video = video;
    this.choose = choose;
    this.player = null;
    this.appearance = { size: 'M', background: 'HALF' };
    this.thumbnails = null;
  }

  /** Builds the controls (once, when the film is first ready). */
  build() {
    if (this.player) {
      return this.player;
    }
    const ui = labels();
    this.player = new window.Plyr(this.video, {
      iconUrl: root.dataset.iconUrl,
      blankVideo: '',
      loadSprite: true,
      controls: ['play-large', 'play', 'progress', 'current-time', 'duration', 'mute', 'volume', 'captions',
        'settings', 'pip', 'fullscreen'],
      settings: ['captions', 'speed'],
      speed: { selected: 1, options: [0.5, 0.75, 1, 1.25, 1.5, 2] },
      captions: { active: false, language: 'auto', update: true },
      keyboard: { focused: false, global: false },
      tooltips: { controls: true, seek: true },
      fullscreen: { enabled: true, fallback: true, iosNative: true },
      storage: { enabled: true, key: 'hypertube-player' },
      invertTime: false,
      i18n: ui,
    });
    const container = this.player.elements.container;
    container.classList.add('ht-player');
    container.setAttribute('aria-label', label('player'));
    this.serverBar = document.createElement('div');
    this.serverBar.className = 'ht-server-ranges';
    this.serverBar.title = label('serverHas');
    this.serverBar.setAttribute('aria-hidden', 'true');
    const progress = container.querySelector('.plyr__progress');
    progress.append(this.serverBar);

    this.audioMenu = menu(label('audio'), 'audio-menu');
    this.qualityMenu = menu(label('quality'), 'quality-menu');
    this.styleMenu = menu(label('subtitleStyle'), 'subtitle-style-menu');
    const settings = container.querySelector('.plyr__controls [data-plyr="settings"]')?.closest('.plyr__menu');
    const bar = container.querySelector('.plyr__controls');
    for (const m of [this.audioMenu, this.qualityMenu, this.styleMenu]) {
      m.box.hidden = true;
      bar.insertBefore(m.box, settings || null);
    }
    this.showAppearance();
    this.loadAppearance();
    return this.player;
  }

  /** The overlay (status in words) and the skip announcements go inside the player: seen in full screen too. */
  adopt(element) {
    this.player.elements.container.append(element);
  }

  /** The parts the server holds: [start, end) fractions of the film. */
  showServerRanges(have) {
    if (!this.serverBar) {
      return;
    }
    const key = JSON.stringify(have || []);
    if (this.serverBar.dataset.ranges === key) {
      return;
    }
    this.serverBar.dataset.ranges = key;
    this.serverBar.replaceChildren(...(have || []).map(([start, end]) => {
      const part = document.createElement('span');
      part.style.left = (start * 100) + '%';
      part.style.width = ((end - start) * 100) + '%';
      return part;
    }));
  }

  /** Audio tracks and qualities the server offers for this film. */
  showChoices(status) {
    const audio = status.audio || [];
    // Statuses keep coming while the film downloads: a menu is rebuilt only when its choices change.
    const key = JSON.stringify([audio, status.qualityChoice, status.quality, (status.subtitles || []).length]);
    if (key === this.choicesShown) {
      return;
    }
    this.choicesShown = key;
    this.audioMenu.box.hidden = audio.length < 2;
    if (audio.length >= 2) {
      const chosen = audio.find(a => a.selected) || audio[0];
      this.audioMenu.setGroups([{
        name: 'audio',
        items: audio.map(a => {
          const parts = [a.language && a.language !== 'und' ? languageName(a.language) : message('track', a.index)];
          if (a.title) {
            parts.push(a.title);
          }
          if (a.channels) {
            parts.push(message('channels', a.channels));
          }
          return { value: String(a.index), label: parts.join(' · '), checked: a.selected };
        }),
        choose: value => this.choose({ audio: value }),
      }], chosen.language && chosen.language !== 'und' ? chosen.language.toUpperCase() : String(chosen.index));
    }
    this.qualityMenu.box.hidden = !status.qualityChoice;
    if (status.qualityChoice) {
      const name = q => q === 'ORIGINAL' ? label('original') : q.substring(1) + 'p';
      this.qualityMenu.setGroups([{
        name: 'quality',
        items: QUALITIES.map(q => ({ value: q, label: name(q), checked: q === status.quality })),
        choose: value => this.choose({ quality: value }),
      }], name(status.quality));
    }
    this.styleMenu.box.hidden = !(status.subtitles && status.subtitles.length);
  }

  /** Seek-bar thumbnails, once the server has made them (a WebVTT index of sprite sheets). */
  showThumbnails(src) {
    if (src && src !== this.thumbnails && this.player) {
      this.thumbnails = src;
      this.player.setPreviewThumbnails({ enabled: true, src });
    }
  }

  showAppearance() {
    const container = this.player.elements.container;
    for (const s of SIZES) {
      container.classList.toggle('ht-subs-' + s.toLowerCase(), s === this.appearance.size);
    }
    for (const b of BACKGROUNDS) {
      container.classList.toggle('ht-subs-bg-' + b.toLowerCase(), b === this.appearance.background);
    }
    this.styleMenu.setGroups([
      { name: 'size', label: label('size'),
        items: SIZES.map(s => ({ value: s, label: label('size.' + s.toLowerCase()), checked: s === this.appearance.size })),
        choose: value => this.saveAppearance({ size: value }) },
      { name: 'background', label: label('background'),
        items: BACKGROUNDS.map(b => ({ value: b, label: label('background.' + b.toLowerCase()), checked: b === this.appearance.background })),
        choose: value => this.saveAppearance({ background: value }) },
    ], 'Aa');
  }

  async loadAppearance() {
    try {
      const r = await fetch(root.dataset.settingsUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (r.ok) {
        this.appearance = await r.json();
        this.showAppearance();
      }
    } catch (e) {
      // the defaults stay
    }
  }

  async saveAppearance(change) {
    this.appearance = { ...this.appearance, ...change };
    this.showAppearance();
    try {
      await post(root.dataset.settingsUrl, this.appearance);
    } catch (e) {
      // shown now, remembered next time the server answers
    }
  }
}
