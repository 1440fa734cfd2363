// Menus of our own in Plyr's control bar (audio, quality, subtitle appearance): a button that opens a
// list of radio items, reachable by keyboard (arrows move, Escape closes) and named for screen readers.

let opened = null;

const close = menu => {
  menu.list.hidden = true;
  menu.button.setAttribute('aria-expanded', 'false');
  if (opened === menu) {
    opened = null;
  }
};

document.addEventListener('click', event => {
  if (opened && !opened.box.contains(event.target)) {
    close(opened);
  }
});

/**
 * A menu button for the control bar.
 * @param name     the menu's accessible name
 * @param id       a stable id for tests and styles
 * @return {box, button, setGroups(groups)}: groups are [{label, items: [{value, label, checked}], choose(value)}]
 */
export const menu = (name, id) => {
  const box = document.createElement('div');
  box.className = 'ht-menu';
  box.id = id;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'plyr__control ht-menu-button';
  button.setAttribute('aria-haspopup', 'true');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', name);
  button.title = name;
  const list = document.createElement('div');
  list.className = 'ht-menu-list';
  list.setAttribute('role', 'menu');
  list.setAttribute('aria-label', name);
  list.hidden = true;
  box.append(button, list);
  const self = { box, button, list };

  const items = () => [...list.querySelectorAll('[role=menuitemradio]')];
  button.addEventListener('click', () => {
    if (!list.hidden) {
      close(self);
      return;
    }
    if (opened) {
      close(opened);
    }
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    opened = self;
    (items().find(i => i.getAttribute('aria-checked') === 'true') || items()[0])?.focus();
  });
  list.addEventListener('keydown', event => {
    const all = items();
    const at = all.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = all[(at + (event.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length];
      next?.focus();
    } else if (event.key === 'Escape') {
      close(self);
      button.focus();
    } else if (event.key === 'Tab') {
      close(self);
      return;
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });

  self.setGroups = (groups, buttonText) => {
    button.textContent = buttonText;
    list.replaceChildren();
    for (const group of groups) {
      const section = document.createElement('div');
      section.setAttribute('role', 'group');
      if (group.label) {
        const heading = document.createElement('div');
        heading.className = 'ht-menu-heading';
        heading.id = id + '-' + group.name;
        heading.textContent = group.label;
        section.setAttribute('aria-labelledby', heading.id);
        section.append(heading);
      }
      for (const item of group.items) {
        const choice = document.createElement('button');
        choice.type = 'button';
        choice.setAttribute('role', 'menuitemradio');
        choice.setAttribute('aria-checked', item.checked ? 'true' : 'false');
        choice.dataset.value = item.value;
        choice.textContent = item.label;
        choice.addEventListener('click', () => {
          close(self);
          button.focus();
          if (!item.checked) {
            group.choose(item.value);
          }
        });
        section.append(choice);
      }
      list.append(section);
    }
  };
  return self;
};
