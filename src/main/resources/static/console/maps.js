// The maps page: every map with its flags, frozen state and sessions, reloaded when the service's event
// stream says a map or a session changed (no polling).

import { get } from './api.js';
import { h, showProblem } from './dom.js';
import { listen } from './events.js';
import { reloader } from './reload.js';

function row(map) {
  return h('tr', { 'data-map-id': map.id },
    h('th', { scope: 'row' }, h('a', { href: `#/maps/${encodeURIComponent(map.id)}` }, map.name || map.id)),
    h('td', {}, map.type),
    h('td', { class: 'num' }, map.maxEntries),
    h('td', { class: 'num' }, map.valueSize),
    h('td', {}, map.flags.length ? map.flags.join(' ') : '–'),
    h('td', {}, map.frozen ? h('span', { class: 'badge frozen' }, 'frozen') : 'no'),
    h('td', { class: 'num' }, `${map.sessions.active} (${map.sessions.writable} writable)`),
    h('td', {}, map.backend));
}

const RECENT_EVENTS = 20;

/** One line of the recent events: when, what, which map (by name when it is listed) and session. */
function eventItem(event, names) {
  const map = names.get(event.mapId);
  return h('li', { 'data-event': event.type, 'data-map-id': event.mapId },
    h('time', { datetime: event.at }, new Date(event.at).toLocaleTimeString()), ' ',
    h('strong', {}, event.type), ' ',
    event.type === 'map.deleted' ? h('span', { class: 'event-map' }, map ?? event.mapId)
      : h('a', { class: 'event-map', href: `#/maps/${encodeURIComponent(event.mapId)}` }, map ?? event.mapId),
    event.sessionId ? ` · session ${event.sessionId.slice(0, 8)} (${event.owner}, ${event.access})` : '');
}

export function renderMaps(main, me) {
  const body = h('tbody', {});
  const names = new Map();
  const recent = h('ol', { id: 'events', class: 'events', reversed: true });
  const noEvents = h('p', { class: 'muted' }, 'None yet.');
  const empty = h('p', { hidden: true }, me.operations.includes('map.create')
    ? 'No maps yet: create one with POST /api/v1/maps.' : 'No maps yet.');
  main.replaceChildren(
    h('h1', {}, 'Maps'),
    h('table', { class: 'grid', id: 'maps' },
      h('caption', {}, 'The BPF array maps this service holds, oldest first'),
      h('thead', {}, h('tr', {},
        ['Name', 'Type', 'Entries', 'Value size', 'Flags', 'Frozen', 'Sessions', 'Backend']
          .map((title) => h('th', { scope: 'col' }, title)))),
      body),
    empty,
    h('section', { 'aria-labelledby': 'events-title' },
      h('h2', { id: 'events-title' }, 'Recent events'),
      h('p', { class: 'muted' }, `The last ${RECENT_EVENTS} map and session events since this page opened, newest first `
        + '(GET /api/v1/events).'),
      noEvents,
      recent));
  let shown = '';

  const reload = reloader(async () => {
    try {
      const maps = await get('/maps');
      const json = JSON.stringify(maps);
      if (json !== shown) {
        shown = json;
        maps.forEach((map) => names.set(map.id, map.name || map.id));
        // a map.created event comes before the reload that names the map
        for (const item of recent.querySelectorAll('li')) {
          const label = item.querySelector('.event-map');
          if (names.has(item.dataset.mapId) && label.textContent === item.dataset.mapId) {
            label.textContent = names.get(item.dataset.mapId);
          }
        }
        body.replaceChildren(...maps.map(row));
        empty.hidden = maps.length > 0;
      }
    } catch (failure) {
      showProblem(failure);
    }
  });
  function onEvent(event) {
    recent.prepend(eventItem(event, names));
    while (recent.children.length > RECENT_EVENTS) {
      recent.lastElementChild.remove();
    }
    noEvents.hidden = true;
    if (event.type !== 'session.renewed') { // a lease renewal changes nothing in the table
      reload();
    }
  }

  return listen({ open: reload, event: onEvent });
}
