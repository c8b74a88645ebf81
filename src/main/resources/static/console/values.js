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
