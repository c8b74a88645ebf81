// The console: a hash router over two pages (#/ the maps, #/maps/{id} one map) and the sign-in form.
// Who the caller is, and so which actions to show, comes from GET /api/v1/whoami.

import { get, setToken, token } from './api.js';
import { alertMessage, field, h, showProblem } from './dom.js';
import { closeEvents } from './events.js';
import { renderMaps } from './maps.js';
import { renderMap } from './map.js';

const main = document.getElementById('main');
let me = null;
let stopView = () => {};

/** Who the caller is; null when the API wants a token (401). */
async function whoAmI() {
  try {
    return await get('/whoami');
  } catch (failure) {
    if (failure.status === 401) {
      return null;
    }
    throw failure;
  }
}

function showWho() {
  const who = document.getElementById('who');
  const signOut = document.getElementById('sign-out');
  who.textContent = me ? `${me.principal} · ${me.roles.at(-1) ?? 'no role'}` : '';
  signOut.hidden = !(me && token());
}

function renderSignIn(reason) {
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'off', required: true,
    spellcheck: false, 'aria-describedby': 'token-help' });
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title', onsubmit: async (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    try {
      me = await whoAmI();
    } catch (failure) {
      me = null;
      showProblem(failure);
    }
    if (me === null) {
      setToken(null);
      alertMessage('That token was not accepted (401). Check it and try again.');
      input.focus();
      return;
    }
    alertMessage(null);
    route();
  } },
  h('h1', { id: 'sign-in-title' }, 'Sign in'),
  h('p', { id: 'token-help' }, reason,
    ' The token is kept in this tab only (sessionStorage) and sent as a bearer token with each API call.'),
  field('Bearer token', input),
  h('button', { type: 'submit' }, 'Sign in'));
  main.replaceChildren(form);
  input.focus();
  return () => {};
}

async function route() {
  stopView();
  stopView = () => {};
  if (me === null) {
    try {
      me = await whoAmI();
    } catch (failure) {
      showProblem(failure);
      return;
    }
  }
  showWho();
  if (me === null) {
    stopView = renderSignIn(token() ? 'The token is no longer accepted.' : 'This service asks for a token.');
    return;
  }
  const mapPage = location.hash.match(/^#\/maps\/([^/]+)$/);
  stopView = mapPage
    ? renderMap(main, decodeURIComponent(mapPage[1]), me)
    : renderMaps(main, me);
}

document.getElementById('sign-out').addEventListener('click', () => {
  setToken(null);
  closeEvents();
  me = null;
  alertMessage(null);
  route();
});
window.addEventListener('console:unauthorized', () => {
  closeEvents();
  me = null;
  route();
});
window.addEventListener('hashchange', () => {
  alertMessage(null);
  route();
});
route();
