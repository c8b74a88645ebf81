// Server-sent events over fetch: EventSource cannot send the Authorization header, so the console reads
// the text/event-stream body itself (https://html.spec.whatwg.org/multipage/server-sent-events.html,
// "event stream interpretation") and reconnects as EventSource would, with Last-Event-ID, so that the
// server sends what was missed (or a new snapshot) instead of the client polling.

import { API, Problem, headers } from './api.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15000;

/**
 * Reads the event stream at API + path until stopped, reconnecting after a network failure or an end
 * of the body. A 4xx answer is a problem to show, not a reason to retry; a 429 (too many streams) or a
 * 5xx is retried with backoff.
 *
 * @param {string} path e.g. '/events'
 * @param {{open?: () => void,
 *          event: (name: string, data: string, id: string) => (boolean | void),
 *          problem: (failure: Problem) => void}} on  event returning false stops the stream
 * @returns {() => void} stops reading, for good
 */
export function subscribe(path, on) {
  let abort = null;
  let stopped = false;
  let lastEventId = '';
  let retry = FIRST_RETRY_MS;
  let timer = null;

  function stop() {
    stopped = true;
    clearTimeout(timer);
    abort?.abort();
  }

  function again() {
    if (!stopped) {
      timer = setTimeout(connect, retry);
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  }

  async function connect() {
    abort = new AbortController();
    let response;
    try {
      response = await fetch(API + path, {
        headers: headers(lastEventId
          ? { Accept: 'text/event-stream', 'Last-Event-ID': lastEventId }
          : { Accept: 'text/event-stream' }),
        signal: abort.signal,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (failure) {
      if (failure.name !== 'AbortError') {
        again();
      }
      return;
    }
    if (!response.ok) {
      let body = {};
      try {
        body = await response.json();
      } catch {
        // not a problem detail: the status says enough
      }
      on.problem(new Problem(response.status, body));
      if (response.status === 429 || response.status >= 500) {
        again();
      }
      return;
    }
    retry = FIRST_RETRY_MS;
    on.open?.();
    try {
      await read(response.body, (name, data, id) => {
        lastEventId = id;
        if (on.event(name, data, id) === false) {
          stop();
        }
      });
    } catch (failure) {
      if (failure.name === 'AbortError') {
        return;
      }
    }
    again(); // the body ended (a restart, a proxy): reconnect and resume from lastEventId
  }

  connect();
  return stop;
}

/** Parses an event stream body, calling dispatch(name, data, lastEventId) per event, until it ends. */
async function read(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = '';
  let data = [];
  let id = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    // A last line not yet ended (or a CR whose LF may come in the next chunk) waits for more.
    const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
    const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
    buffer = lines.pop() + buffer.slice(cut);
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) {
          dispatch(name || 'message', data.join('\n'), id);
        }
        name = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue; // a comment: the server's keep-alive
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let text = colon < 0 ? '' : line.slice(colon + 1);
      if (text.startsWith(' ')) {
        text = text.slice(1);
      }
      if (field === 'event') {
        name = text;
      } else if (field === 'data') {
        data.push(text);
      } else if (field === 'id' && !text.includes('\0')) {
        id = text;
      }
    }
  }
}
