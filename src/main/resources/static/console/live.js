// Where the live values come from: the map's value stream (GET /maps/{id}/values/stream), a snapshot of
// the window first and then only the elements that changed, at most one event per interval. A
// reconnect resumes with Last-Event-ID: the server sends the changes since then, or a new snapshot.

import { subscribe } from './sse.js';

/**
 * Watches the values [from, from + count) of a map.
 *
 * @param {string} mapId
 * @param {{from: number, count: number, interval: number, format: string}} window_ interval in
 *        milliseconds; format 'hex' (values are hex strings) or 'typed' (values are the JSON of the BTF type)
 * @param {{snapshot: (values: Map<number, *>) => void,
 *          changes: (changed: Map<number, *>) => void,
 *          ended: (reason: string) => void,
 *          error: (problem: Error) => void}} on
 * @returns {() => void} stops watching
 */
export function watchValues(mapId, window_, on) {
  const field = window_.format;
  const values = (list) => new Map(list.map((v) => [v.index, v[field]]));
  return subscribe(`/maps/${encodeURIComponent(mapId)}/values/stream?from=${window_.from}`
    + `&count=${window_.count}&interval=${window_.interval}ms&format=${field}`, {
    event(name, data) {
      const json = JSON.parse(data);
      if (name === 'snapshot') {
        on.snapshot(values(json.values));
      } else if (name === 'changes') {
        on.changes(values(json.changes));
      } else if (name === 'end') {
        if (json.reason !== 'shutdown') {
          on.ended(json.reason);
          return false; // the map is gone: nothing to reconnect to
        }
      }
      return true;
    },
    problem: on.error,
  });
}
