// One map's page: its facts, the actions the caller's roles allow, its sessions with lease countdowns,
// and a live table of a window of its values.

import { del, get, post, put } from './api.js';
import { alertMessage, countdown, field, h, showProblem } from './dom.js';
import { watchValues } from './live.js';
import { render, viewsFor } from './values.js';

const REFRESH_MS = 2000;
const DEFAULT_COUNT = 32;
const DEFAULT_INTERVAL_MS = 1000;
const MIN_INTERVAL_MS = 200;

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
  let map = null;
  let sessions = [];
  let shownState = '';

  const title = h('h1', {}, 'Map');
  const factsSlot = h('div', {});
  const actions = h('section', { class: 'card', 'aria-labelledby': 'actions-title', hidden: true },
    h('h2', { id: 'actions-title' }, 'Actions'));
  const sessionBody = h('tbody', {});
  const noSessions = h('p', {}, 'No open sessions.');
  const valueBody = h('tbody', {});
  const valueStatus = h('p', { class: 'muted', role: 'status', id: 'values-status' });

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

  // The live table's window and view.
  const from = h('input', { id: 'values-from', type: 'number', min: 0, value: 0 });
  const count = h('input', { id: 'values-count', type: 'number', min: 1, value: DEFAULT_COUNT });
  const interval = h('input', { id: 'values-interval', type: 'number', min: MIN_INTERVAL_MS, step: 100,
    value: DEFAULT_INTERVAL_MS });
  const viewSelect = h('select', { id: 'values-view' });
  let view = { name: 'hex', width: 0 };
  const shown = new Map();

  function valueRow(index, hex, changed) {
    return h('tr', { 'data-index': index, class: changed ? 'changed' : '' },
      h('th', { scope: 'row', class: 'num' }, index),
      h('td', { class: 'value' }, h('code', { 'data-hex': hex }, render(hex, view))));
  }

  function watch() {
    stopValues();
    shown.clear();
    valueBody.replaceChildren();
    const window_ = {
      from: Math.max(0, Number(from.value) || 0),
      count: Math.max(1, Number(count.value) || DEFAULT_COUNT),
      interval: Math.max(MIN_INTERVAL_MS, Number(interval.value) || DEFAULT_INTERVAL_MS),
    };
    stopValues = watchValues(mapId, window_, {
      snapshot(values) {
        values.forEach((hex, index) => shown.set(index, hex));
        valueBody.replaceChildren(...[...shown].map(([index, hex]) => valueRow(index, hex, false)));
        valueStatus.textContent = `${values.size} values, every ${window_.interval} ms`;
      },
      changes(changed) {
        for (const row of valueBody.querySelectorAll('tr.changed')) {
          row.classList.remove('changed');
        }
        changed.forEach((hex, index) => {
          shown.set(index, hex);
          valueBody.querySelector(`tr[data-index="${index}"]`)?.replaceWith(valueRow(index, hex, true));
        });
        valueStatus.textContent = `${changed.size} changed at ${new Date().toLocaleTimeString()}`;
      },
      error: showProblem,
    });
  }

  function rerender() {
    view = viewsFor(map.valueSize).find((v) => v.name === viewSelect.value) ?? view;
    valueBody.replaceChildren(...[...shown].map(([index, hex]) => valueRow(index, hex, false)));
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
    h('section', { 'aria-labelledby': 'values-title' },
      h('h2', { id: 'values-title' }, 'Values'),
      h('form', { class: 'inline', 'aria-label': 'Window of values', onsubmit: (event) => {
        event.preventDefault();
        watch();
      } }, field('From index', from), field('Count', count), field('Interval (ms)', interval),
      field('Show as', viewSelect), h('button', { type: 'submit' }, 'Watch')),
      valueStatus,
      h('table', { class: 'grid values', id: 'values' },
        h('caption', {}, 'Live values; a changed row is highlighted'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Index'), h('th', { scope: 'col' }, 'Value'))),
        valueBody)));
  viewSelect.addEventListener('change', rerender);

  refresh().then((found) => {
    if (!found) {
      return;
    }
    viewSelect.replaceChildren(...viewsFor(map.valueSize).map((v) => h('option', { value: v.name }, v.name)));
    count.value = Math.min(DEFAULT_COUNT, map.maxEntries);
    watch();
    timers.push(setInterval(refresh, REFRESH_MS), setInterval(tickCountdowns, 1000));
  });

  return () => {
    stopValues();
    timers.forEach(clearInterval);
  };
}
