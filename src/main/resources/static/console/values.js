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

/** The columns of a window of typed values: the members of struct values in first-seen order, or null. */
export function typedColumns(values) {
  const columns = new Set();
  for (const value of values) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return null;
    }
    Object.keys(value).forEach((key) => columns.add(key));
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
