// A heatmap of a window of values: one cell per element, 16 to a row, its colour from the element's
// number on a logarithmic scale between the window's smallest and largest (counters span decades). A
// grid in the ARIA sense: one cell in the tab order, arrow keys, Home/End and Page Up/Down move, and the
// focused cell's index and value are read out and shown beside the grid.

import { h } from './dom.js';

const COLUMNS = 16;

/**
 * @param {{label: string, describe: (index: number) => string}} options describe: "42" for a cell
 * @returns {{element: HTMLElement, draw: (numbers: Map<number, number>, changed?: Set<number>) => void}}
 */
export function heatmap(options) {
  const grid = h('div', { class: 'heatmap', role: 'grid', id: 'heatmap', 'aria-label': options.label,
    'aria-describedby': 'heatmap-legend', onkeydown: move, onfocusin: (event) => show(event.target) });
  const focused = h('output', { id: 'heatmap-focus', class: 'muted', 'aria-live': 'polite' });
  const legend = h('p', { id: 'heatmap-legend', class: 'heat-legend muted' });
  const element = h('div', {}, legend, grid, focused);
  let cells = new Map();
  let active = null;

  function show(cell) {
    if (cell?.dataset?.index !== undefined) {
      focused.textContent = `Element ${cell.dataset.index}: ${options.describe(Number(cell.dataset.index))}`;
    }
  }

  function focus(cell) {
    if (!cell) {
      return;
    }
    active?.setAttribute('tabindex', '-1');
    cell.setAttribute('tabindex', '0');
    active = cell;
    cell.focus();
  }

  function move(event) {
    const order = [...cells.values()];
    const at = order.indexOf(event.target);
    if (at < 0) {
      return;
    }
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS,
      PageDown: COLUMNS * 4, PageUp: -COLUMNS * 4 }[event.key];
    let to = null;
    if (step !== undefined) {
      to = Math.min(order.length - 1, Math.max(0, at + step));
    } else if (event.key === 'Home') {
      to = event.ctrlKey ? 0 : at - (at % COLUMNS);
    } else if (event.key === 'End') {
      to = event.ctrlKey ? order.length - 1 : Math.min(order.length - 1, at - (at % COLUMNS) + COLUMNS - 1);
    }
    if (to !== null) {
      event.preventDefault();
      focus(order[to]);
    }
  }

  /** Redraws every cell (a new window) or, with changed, recolours all and marks those that changed. */
  function draw(numbers, changed = null) {
    let low = Infinity;
    let high = -Infinity;
    for (const value of numbers.values()) {
      if (Number.isFinite(value)) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    if (low > high) {
      low = 0;
      high = 0;
    }
    const span = Math.log1p(high - low);
    legend.replaceChildren(h('span', { class: 'swatch low', 'aria-hidden': 'true' }), ` ${low} `,
      h('span', { class: 'swatch high', 'aria-hidden': 'true' }), ` ${high} (logarithmic; a ring marks a change)`);
    if (changed === null || numbers.size !== cells.size) {
      cells = new Map();
      const rows = [];
      let row = null;
      for (const index of numbers.keys()) {
        if (cells.size % COLUMNS === 0) {
          row = h('div', { role: 'row', class: 'heat-row' });
          rows.push(row);
        }
        const cell = h('div', { role: 'gridcell', class: 'heat-cell', tabIndex: -1, 'data-index': index });
        cells.set(index, cell);
        row.append(cell);
      }
      grid.replaceChildren(...rows);
      active = cells.values().next().value ?? null;
      active?.setAttribute('tabindex', '0');
    }
    for (const [index, cell] of cells) {
      const value = numbers.get(index);
      const share = Number.isFinite(value) && span > 0 ? Math.round(100 * Math.log1p(value - low) / span) : 0;
      cell.style.setProperty('--heat', `${share}%`);
      const text = options.describe(index);
      cell.setAttribute('aria-label', `Element ${index}: ${text}`);
      cell.title = `${index}: ${text}`;
      cell.classList.toggle('changed', changed?.has(index) ?? false);
    }
    if (active && document.activeElement === active) {
      show(active);
    }
  }

  return { element, draw };
}
