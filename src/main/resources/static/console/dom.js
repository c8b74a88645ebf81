// A few lines instead of a framework: build elements, show a problem, format a duration.

/** h('button', {type: 'button', onclick: f}, 'Freeze'): an element with properties/attributes and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'class' || key.startsWith('data-') || key.startsWith('aria-') || key === 'for' || key === 'role') {
      element.setAttribute(key, value === true ? '' : value);
    } else {
      element[key] = value;
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** Shows a message in the page's alert region (role=alert: screen readers announce it); null hides it. */
export function alertMessage(text, kind = 'error') {
  const region = document.getElementById('alert');
  region.hidden = !text;
  region.textContent = text || '';
  region.className = `alert ${kind}`;
}

/** Shows a failed call: a Problem's title, errno and detail; a 401 (token revoked) asks for a token again. */
export function showProblem(failure) {
  if (failure.status === 401) {
    window.dispatchEvent(new Event('console:unauthorized'));
    return;
  }
  alertMessage(typeof failure.describe === 'function' ? failure.describe() : String(failure.message || failure));
}

/** "1m 05s" from milliseconds; "expired" at or below zero. */
export function countdown(ms) {
  if (ms <= 0) {
    return 'expired';
  }
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** A labelled form field: <label>text <input></label>. */
export function field(text, control) {
  return h('label', { class: 'field' }, h('span', {}, text), control);
}
