// Where the live table's values come from: the one module to change when the source changes. It polls
// the range read (GET /maps/{id}/values?from=&count=&format=hex) every interval and reports, like a
// value stream would, a snapshot first and then only the elements whose bytes changed.

import { get } from './api.js';

/**
 * Watches the values [from, from + count) of a map, in hex.
 *
 * @param {string} mapId
 * @param {{from: number, count: number, interval: number}} window_ interval in milliseconds
 * @param {{snapshot: (values: Map<number, string>) => void,
 *          changes: (changed: Map<number, string>) => void,
 *          error: (problem: Error) => void}} on
 * @returns {() => void} stops watching
 */
export function watchValues(mapId, window_, on) {
  const abort = new AbortController();
  let last = null;
  let timer = null;

  async function tick() {
    try {
      const range = await get(`/maps/${encodeURIComponent(mapId)}/values?from=${window_.from}`
        + `&count=${window_.count}&format=hex`, abort.signal);
      const values = new Map(range.values.map((v) => [v.index, v.hex]));
      if (last === null) {
        on.snapshot(values);
      } else {
        const changed = new Map([...values].filter(([index, hex]) => last.get(index) !== hex));
        if (changed.size > 0) {
          on.changes(changed);
        }
      }
      last = values;
    } catch (failure) {
      if (failure.name === 'AbortError') {
        return;
      }
      on.error(failure);
    }
    if (!abort.signal.aborted) {
      timer = setTimeout(tick, window_.interval);
    }
  }

  tick();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
