// Rendering a value's bytes (hex from the API) as little-endian integers of one width, with BigInt so
// that a u64 is exact (a JSON number would round above 2^53).

/** The views a value can be shown in: hex, or integers of a width in bytes, unsigned or signed. */
export const VIEWS = [
  { name: 'hex', width: 0 },
  { name: 'u8', width: 1 },
  { name: 'u16', width: 2 },
  { name: 'u32', width: 4 },
  { name: 'u64', width: 8 },
  { name: 'i64', width: 8, signed: true },
];

/** The views that fit a value of valueSize bytes (a whole number of integers). */
export function viewsFor(valueSize) {
  return VIEWS.filter((view) => view.width === 0 || valueSize % view.width === 0);
}

/** "0a00000000000000" as u64 -> "10"; as hex -> itself. Several integers are joined with spaces. */
export function render(hex, view) {
  if (view.width === 0) {
    return hex;
  }
  const digits = view.width * 2;
  const parts = [];
  for (let at = 0; at + digits <= hex.length; at += digits) {
    const chunk = hex.slice(at, at + digits);
    let bigEndian = '';
    for (let byte = digits - 2; byte >= 0; byte -= 2) {
      bigEndian += chunk.slice(byte, byte + 2);
    }
    let value = BigInt(`0x${bigEndian}`);
    const bits = BigInt(view.width * 8);
    if (view.signed && value >= (1n << (bits - 1n))) {
      value -= 1n << bits;
    }
    parts.push(value.toString());
  }
  return parts.join(' ');
}

/** The number a heatmap colours an element by: the sum of its integers in the view (hex: the widest that fits). */
export function numberOf(hex, view, valueSize) {
  const integers = view.width === 0 ? viewsFor(valueSize).filter((v) => v.width > 0).at(-1) : view;
  return render(hex, integers).split(' ').reduce((sum, part) => sum + Number(part), 0);
}

// Typed values (format=typed): the JSON of the map's BTF value type, shaped as bpftool's "formatted"
// (structs as objects, arrays as arrays, char arrays as strings, enums by name), with 64-bit integers
// as decimal strings. A struct's members become the table's columns, one level deep.

/**
 * A typed value's cells, [column, value] in order: a struct's (or union's) members, one level deep,
 * with a section's variables as members of their own (a DATASEC, as bpftool prints it:
 * {".bss": [{"hits": "3"}, {"limit": 7}]}, so an agent's globals get a column each); any other value is
 * one "Value" cell.
 */
export function typedCells(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [['Value', value]];
  }
  const cells = [];
  for (const [name, member] of Object.entries(value)) {
    if (isSection(name, member)) {
      member.forEach((variable) => cells.push(...Object.entries(variable)));
    } else {
      cells.push([name, member]);
    }
  }
  return cells;
}

/** libbpf's sections are named with a dot (.bss, .data, .rodata, .data.custom); each variable is {name: value}. */
function isSection(name, member) {
  return name.startsWith('.') && Array.isArray(member) && member.every((variable) => variable !== null
    && typeof variable === 'object' && !Array.isArray(variable) && Object.keys(variable).length === 1);
}

/** The columns of a window of typed values: their cells' names in first-seen order. */
export function typedColumns(values) {
  const columns = new Set();
  for (const value of values) {
    typedCells(value).forEach(([name]) => columns.add(name));
  }
  return [...columns];
}

/** A typed value (or member) as table text: scalars as they are, nested structs and arrays as JSON. */
export function typedText(value) {
  if (value === undefined || value === null) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The number a heatmap colours a typed element by: itself, or its first numeric member or element. */
export function typedNumber(value) {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'boolean') {
    return Number(value);
  }
  if (typeof value === 'string') {
    return /^-?\d+$/.test(value) ? Number(value) : NaN; // a 64-bit integer; an enum name or a string is none
  }
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) {
      const n = typedNumber(member);
      if (Number.isFinite(n)) {
        return n;
      }
    }
  }
  return NaN;
}
