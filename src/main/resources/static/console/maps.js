// The maps page: every map with its flags, frozen state and sessions, refreshed every few seconds.

import { get } from './api.js';
import { h, showProblem } from './dom.js';

const REFRESH_MS = 2000;

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
  let timer = null;
  let stopped = false;

  async function refresh() {
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
    if (!stopped) {
      timer = setTimeout(refresh, REFRESH_MS);
    }
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
