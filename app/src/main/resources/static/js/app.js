// Small progressive enhancements; every page works without them.
document.documentElement.classList.add('js');

document.addEventListener('DOMContentLoaded', () => {
  // The language switcher applies as soon as a language is picked.
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form.requestSubmit());
  }
  // htmx requests carry the CSRF token like forms do.
  const token = document.querySelector('meta[name="csrf-token"]');
  const header = document.querySelector('meta[name="csrf-header"]');
  if (token && header) {
    document.body.addEventListener('htmx:configRequest', (event) => {
      event.detail.headers[header.content] = token.content;
    });
  }
  // On phones the header is one row: the language, account links and sign-out open under its menu button.
  for (const button of document.querySelectorAll('.nav-toggle[aria-controls]')) {
    const panel = document.getElementById(button.getAttribute('aria-controls'));
    button.addEventListener('click', () => {
      const open = panel.classList.toggle('open');
      button.setAttribute('aria-expanded', String(open));
      if (open) {
        panel.querySelector('select, summary, a, button')?.focus();
      }
    });
  }
  // On phones the library's filters sit behind one button (CSS hides the panel until it is open).
  for (const button of document.querySelectorAll('.filter-toggle[aria-controls]')) {
    const panel = document.getElementById(button.getAttribute('aria-controls'));
    if (!panel) {
      continue;
    }
    button.addEventListener('click', () => {
      const open = panel.classList.toggle('open');
      button.setAttribute('aria-expanded', String(open));
      if (open) {
        panel.querySelector('select, input:not([type=hidden])')?.focus();
      }
    });
  }
});
