// The service's map and session events (GET /api/v1/events), one stream per tab shared by the pages:
// a page reloads what it shows when an event concerns it, and once whenever the stream (re)opens, since
// events before that are not replayed to a new subscriber. Nothing polls.

import { subscribe } from './sse.js';
import { showProblem } from './dom.js';

const listeners = new Set();
let stop = null;
let open = false;

/**
 * Calls on.open() now if the stream is open (and whenever it reopens), and on.event(e) for each event
 * ({type: 'map.created' | 'map.frozen' | 'map.deleted' | 'session.opened' | ..., mapId, sessionId, ...}).
 *
 * @returns {() => void} stops listening
 */
export function listen(on) {
  listeners.add(on);
  if (stop === null) {
    stop = subscribe('/events', {
      open() {
        open = true;
        listeners.forEach((l) => l.open());
      },
      event(name, data) {
        if (name === 'lost') {
          // fell behind the server's backlog: reload, as on a new stream
          listeners.forEach((l) => l.open());
          return;
        }
        if (name === 'end') {
          return; // shutdown: the body ends and the stream reconnects
        }
        const event = JSON.parse(data);
        listeners.forEach((l) => l.event(event));
      },
      problem: showProblem,
    });
  } else if (open) {
    on.open();
  }
  return () => listeners.delete(on);
}

/** Closes the stream (sign-out, a revoked token): the next listen() opens one with the new token. */
export function closeEvents() {
  stop?.();
  stop = null;
  open = false;
}
