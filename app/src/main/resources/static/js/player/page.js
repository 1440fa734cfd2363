// What the film page gives the player: its texts (message bundles, as data attributes of #player), the
// CSRF token for POSTs, and the reader's language. No text is written in the scripts.
export const root = document.getElementById('player');
const csrfToken = document.querySelector('meta[name="csrf-token"]');
const csrfHeader = document.querySelector('meta[name="csrf-header"]');
export const lang = document.documentElement.lang || undefined;

const camel = name => name.split(/[_.-]/).map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** A status text: data-msg-NAME, with {0}, {1}... replaced by the arguments. */
export const message = (name, ...args) => {
  let text = root.dataset['msg' + camel(name.toLowerCase())] || '';
  args.forEach((a, i) => { text = text.replace('{' + i + '}', a); });
  return text;
};

/** A control's label: data-ui-NAME (names as in the bundles' player.ui.NAME). */
export const label = (name, ...args) => {
  let text = root.dataset['ui' + camel(name)] || '';
  args.forEach((a, i) => { text = text.replace('{' + i + '}', a); });
  return text;
};

/** Every control label, by the name Plyr's i18n uses. */
export const labels = () => {
  const all = {};
  for (const [key, value] of Object.entries(root.dataset)) {
    if (key.startsWith('ui') && key.length > 2) {
      all[key.charAt(2).toLowerCase() + key.slice(3)] = value;
    }
  }
  return all;
};

/** A form POST with the CSRF token; `accept` and `signal` (an AbortSignal) are optional. */
export const post = (url, params, keepalive = false, { accept, signal } = {}) => {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (csrfToken && csrfHeader) {
    headers[csrfHeader.content] = csrfToken.content;
  }
  if (accept) {
    headers.Accept = accept;
  }
  return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params), credentials: 'same-origin', keepalive, signal });
};

export const languageName = code => {
  try {
    return new Intl.DisplayNames([lang || 'en'], { type: 'language' }).of(code) || code;
  } catch (e) {
    return code;
  }
};

export const megabytes = bytes => (bytes / 1048576).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
