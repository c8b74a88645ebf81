// One map's page: its facts, the actions the caller's roles allow, its sessions with lease countdowns,
// and its live values. The facts and sessions are reloaded when the service's event stream says this
// map or one of its sessions changed; the values come from the map's value stream. Nothing polls.

import { del, get, post, put } from './api.js';
import { alertMessage, countdown, field, h, showProblem } from './dom.js';
import { listen } from './events.js';
import { liveValues } from './live-values.js';
import { reloader } from './reload.js';

function facts(map) {
  const rows = [
    ['Id', map.id],
    ['Type', map.type],
    ['Backend', map.backend],
    ['Entries', map.maxEntries],
    ['Value size', `${map.valueSize} bytes`],
    ['Flags', map.flags.length ? map.flags.join(' ') : '–'],
    ['Frozen', map.frozen ? 'yes' : 'no'],
    ['Sessions', `${map.sessions.active} open, ${map.sessions.writable} writable`],
  ];
  return h('dl', { class: 'facts', id: 'facts' }, rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

export function renderMap(main, mapId, me) {
  const may = (operation) => me.operations.includes(operation);
  const path = `/maps/${encodeURIComponent(mapId)}`;
  const timers = [];
  let stopValues = () => {};
  let unlisten = () => {};
  let stopped = false;
  let map = null;
  let sessions = [];
  let shownState = '';

  const title = h('h1', {}, 'Map');
  const factsSlot = h('div', {});
  const actions = h('section', { class: 'card', 'aria-labelledby': 'actions-title', hidden: true },
    h('h2', { id: 'actions-title' }, 'Actions'));
  const sessionBody = h('tbody', {});
  const noSessions = h('p', {}, 'No open sessions.');
  const valuesSlot = h('div', {});

  async function refresh() {
    try {
      [map, sessions] = await Promise.all([get(path), get(`/sessions?mapId=${encodeURIComponent(mapId)}`)]);
    } catch (failure) {
      showProblem(failure);
      return false;
    }
    // Redrawn only when something changed, so that keyboard focus (on a Close button) survives a refresh.
    const state = JSON.stringify([map, sessions]);
    if (state !== shownState) {
      shownState = state;
      title.textContent = `Map ${map.name || map.id}`;
      factsSlot.replaceChildren(facts(map));
      showActions();
      showSessions();
    }
    return true;
  }

  /** Runs an action; shows what it did, or the problem the API answered with, then reloads the map. */
  async function act(what, call) {
    try {
      await call();
      alertMessage(what, 'ok');
    } catch (failure) {
      showProblem(failure);
    }
    await refresh();
  }

  function showActions() {
    const parts = [];
    if (may('map.freeze') && !map.frozen) {
      parts.push(h('button', { id: 'freeze', type: 'button', onclick: () => act('Frozen.', () => post(`${path}/freeze`)) },
        'Freeze map'));
    }
    if (may('value.update') && !map.frozen) {
      const index = h('input', { id: 'write-index', type: 'number', min: 0, max: map.maxEntries - 1, value: 0, required: true });
      const hex = h('input', { id: 'write-hex', type: 'text', required: true, spellcheck: false,
        pattern: `[0-9a-fA-F]{${map.valueSize * 2}}`, placeholder: '00'.repeat(map.valueSize),
        title: `${map.valueSize} bytes as hex` });
      parts.push(h('form', { class: 'inline', 'aria-label': 'Write a value', onsubmit: (event) => {
        event.preventDefault();
        act(`Wrote element ${index.value}.`, () => put(`${path}/values/${index.value}`, { hex: hex.value }));
      } }, field('Index', index), field(`Value (${map.valueSize} bytes, hex)`, hex),
      h('button', { id: 'write-value', type: 'submit' }, 'Write value')));
    }
    if (may('session.open') && map.mmapable) {
      const access = h('select', { id: 'open-access' },
        h('option', { value: 'READ_ONLY' }, 'read-only'), h('option', { value: 'READ_WRITE' }, 'read-write'));
      const ttl = h('input', { id: 'open-ttl', type: 'number', min: 1, value: 60, required: true });
      parts.push(h('form', { class: 'inline', 'aria-label': 'Open a session', onsubmit: (event) => {
        event.preventDefault();
        act('Session opened.', () => post(`${path}/sessions`, { access: access.value, ttlSeconds: Number(ttl.value) }));
      } }, field('Access', access), field('Lease (seconds)', ttl),
      h('button', { id: 'open-session', type: 'submit' }, 'Open session')));
    }
    // Rebuilt only when what is offered changes, so that focus and typed input stay put.
    const shape = parts.map((part) => part.id || part.getAttribute('aria-label')).join();
    if (actions.dataset.shape !== shape) {
      actions.dataset.shape = shape;
      actions.replaceChildren(actions.firstChild, ...parts);
    }
    actions.hidden = parts.length === 0;
  }

  function mayClose(session) {
    return may('session.close') && (session.owner === me.principal || me.roles.includes('admin'));
  }

  function showSessions() {
    noSessions.hidden = sessions.length > 0;
    sessionBody.replaceChildren(...sessions.map((session) => h('tr', { 'data-session-id': session.id },
      h('th', { scope: 'row' }, h('code', { title: session.id }, session.id.slice(0, 8))),
      h('td', {}, session.access),
      h('td', {}, session.owner),
      h('td', { class: 'num' }, `${session.offset} + ${session.length}`),
      h('td', { class: 'num countdown', 'data-expires': session.expiresAt },
        countdown(Date.parse(session.expiresAt) - Date.now())),
      h('td', {}, mayClose(session)
        ? h('button', { type: 'button', class: 'close-session', 'aria-label': `Close session ${session.id.slice(0, 8)}`,
          onclick: () => act('Session closed.', () => del(`/sessions/${encodeURIComponent(session.id)}`)) }, 'Close')
        : ''))));
  }

  function tickCountdowns() {
    for (const cell of sessionBody.querySelectorAll('.countdown')) {
      cell.textContent = countdown(Date.parse(cell.dataset.expires) - Date.now());
    }
  }

  main.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← All maps')),
    title,
    factsSlot,
    actions,
    h('section', { 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, 'Sessions'),
      h('table', { class: 'grid', id: 'sessions' },
        h('caption', {}, 'mmap sessions on this map; a lease ends unless renewed'),
        h('thead', {}, h('tr', {}, ['Session', 'Access', 'Owner', 'Window (offset + bytes)', 'Lease ends in', '']
          .map((text) => h('th', { scope: 'col' }, text)))),
        sessionBody),
      noSessions),
    valuesSlot);

  const reload = reloader(refresh);

  function onEvent(event) {
    if (event.mapId !== mapId) {
      return;
    }
    if (event.type === 'map.deleted') {
      unlisten();
      timers.forEach(clearInterval);
      alertMessage('This map was deleted.');
      return;
    }
    reload();
  }

  refresh().then(async (found) => {
    if (!found || stopped) {
      return;
    }
    const values = liveValues(map, map.typed === true);
    valuesSlot.replaceChildren(values.element);
    stopValues = values.stop;
    unlisten = listen({ open: reload, event: onEvent });
    timers.push(setInterval(tickCountdowns, 1000));
  });

  return () => {
    stopped = true;
    stopValues();
    unlisten();
    timers.forEach(clearInterval);
  };
}

