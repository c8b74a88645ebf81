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

export function renderMaps(main, me) {
  const body = h('tbody', {});
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
    empty);
  let shown = '';

  const reload = reloader(async () => {
    try {
      const maps = await get('/maps');
      const json = JSON.stringify(maps);
      if (json !== shown) {
        shown = json;
        body.replaceChildren(...maps.map(row));
        empty.hidden = maps.length > 0;
      }
    } catch (failure) {
      showProblem(failure);
    }
  });
  // A lease renewal changes nothing this page shows.
  return listen({ open: reload, event: (e) => e.type !== 'session.renewed' && reload() });
}
