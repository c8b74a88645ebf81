// A map's live values: the window form, a table or a heatmap of the window (a toggle), updated from the
// value stream. Values come as hex and are shown as hex or integers; a map with BTF is also offered
// "typed" (format=typed), whose struct members become the table's columns.

import { field, h, showProblem } from './dom.js';
import { heatmap } from './heatmap.js';
import { watchValues } from './live.js';
import { numberOf, render, typedCells, typedColumns, typedNumber, typedText, viewsFor } from './values.js';

const DEFAULT_COUNT = 32;
const DEFAULT_INTERVAL_MS = 1000;
const MIN_INTERVAL_MS = 200;
const TYPED = { name: 'typed', typed: true };

/**
 * @param {{id: string, maxEntries: number, valueSize: number}} map
 * @param {boolean} hasBtf whether to offer the typed view
 * @returns {{element: HTMLElement, stop: () => void}}
 */
export function liveValues(map, hasBtf) {
  const views = [...(hasBtf ? [TYPED] : []), ...viewsFor(map.valueSize)];
  let view = views[0];
  let format = null; // the stream's: 'typed' or 'hex'
  let stopValues = () => {};
  const shown = new Map();
  let columns = null; // the typed view's columns (struct members, section variables), else null

  const from = h('input', { id: 'values-from', type: 'number', min: 0, max: map.maxEntries - 1, value: 0 });
  const count = h('input', { id: 'values-count', type: 'number', min: 1, max: map.maxEntries,
    value: Math.min(DEFAULT_COUNT, map.maxEntries) });
  const interval = h('input', { id: 'values-interval', type: 'number', min: MIN_INTERVAL_MS, step: 100,
    value: DEFAULT_INTERVAL_MS });
  const viewSelect = h('select', { id: 'values-view' }, views.map((v) => h('option', { value: v.name }, v.name)));
  const status = h('p', { class: 'muted', role: 'status', id: 'values-status' });
  const head = h('thead', {});
  const body = h('tbody', {});
  const table = h('table', { class: 'grid values', id: 'values' },
    h('caption', {}, 'Live values; a changed row is highlighted'), head, body);
  const heat = heatmap({ label: 'Heatmap of the window of values', describe: (index) => describe(shown.get(index)) });
  const modes = ['table', 'heatmap'].map((mode) => h('input', { type: 'radio', name: 'values-mode', id: `mode-${mode}`,
    value: mode, checked: mode === 'table', onchange: redraw }));
  const modeSwitch = h('fieldset', { class: 'modes' }, h('legend', {}, 'Show values in a'),
    ...modes.map((radio) => h('label', { for: radio.id }, radio, ` ${radio.value}`)));

  const heatmapMode = () => modes[1].checked;

  function describe(value) {
    return view.typed ? typedText(value) : render(value, view);
  }

  function number(value) {
    return view.typed ? typedNumber(value) : numberOf(value, view, map.valueSize);
  }

  function valueCells(value) {
    if (!view.typed) {
      return [h('td', { class: 'value' }, h('code', { 'data-hex': value }, render(value, view)))];
    }
    const cells = new Map(typedCells(value));
    return columns.map((name) => h('td', { class: 'value', 'data-field': name }, h('code', {}, typedText(cells.get(name)))));
  }

  function row(index, value, changed) {
    return h('tr', { 'data-index': index, class: changed ? 'changed' : '' },
      h('th', { scope: 'row', class: 'num' }, index), ...valueCells(value));
  }

  function numbers() {
    return new Map([...shown].map(([index, value]) => [index, number(value)]));
  }

  /** Draws the whole window in the chosen mode and view. */
  function redraw() {
    view = views.find((v) => v.name === viewSelect.value) ?? view;
    if (Boolean(view.typed) !== (format === 'typed')) {
      watch(); // the stream's format changes: a new snapshot
      return;
    }
    table.hidden = heatmapMode();
    heat.element.hidden = !heatmapMode();
    columns = view.typed ? typedColumns(shown.values()) : null;
    head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, 'Index'),
      ...(columns ?? ['Value']).map((name) => h('th', { scope: 'col' }, name))));
    if (heatmapMode()) {
      heat.draw(numbers());
    } else {
      body.replaceChildren(...[...shown].map(([index, value]) => row(index, value, false)));
    }
  }

  function watch() {
    stopValues();
    shown.clear();
    body.replaceChildren();
    format = view.typed ? 'typed' : 'hex';
    const window_ = {
      from: Math.max(0, Number(from.value) || 0),
      count: Math.max(1, Number(count.value) || DEFAULT_COUNT),
      interval: Math.max(MIN_INTERVAL_MS, Number(interval.value) || DEFAULT_INTERVAL_MS),
      format,
    };
    stopValues = watchValues(map.id, window_, {
      snapshot(values) {
        shown.clear();
        values.forEach((value, index) => shown.set(index, value));
        redraw();
        status.textContent = `${values.size} values, streamed at most every ${window_.interval} ms`;
      },
      changes(changed) {
        changed.forEach((value, index) => shown.set(index, value));
        if (heatmapMode()) {
          heat.draw(numbers(), new Set(changed.keys()));
        } else {
          for (const stale of body.querySelectorAll('tr.changed')) {
            stale.classList.remove('changed');
          }
          changed.forEach((value, index) => {
            body.querySelector(`tr[data-index="${index}"]`)?.replaceWith(row(index, value, true));
          });
        }
        status.textContent = `${changed.size} changed at ${new Date().toLocaleTimeString()}`;
      },
      ended(reason) {
        status.textContent = `The stream ended: ${reason}.`;
      },
      error: showProblem,
    });
  }

  viewSelect.addEventListener('change', redraw);
  const element = h('section', { 'aria-labelledby': 'values-title' },
    h('h2', { id: 'values-title' }, 'Values'),
    h('form', { class: 'inline', 'aria-label': 'Window of values', onsubmit: (event) => {
      event.preventDefault();
      watch();
    } }, field('From index', from), field('Count', count), field('Interval (ms)', interval),
    field('Show as', viewSelect), h('button', { type: 'submit' }, 'Watch')),
    modeSwitch,
    status,
    table,
    heat.element);
  heat.element.hidden = true;
  watch();
  return { element, stop: () => stopValues() };
}
