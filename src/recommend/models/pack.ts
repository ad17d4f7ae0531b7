/**
 * A tiny binary container for model state: a JSON header plus named typed arrays, each 8-byte
 * aligned so they can be viewed without copying.
 *
 * @example
 * const bytes = pack({ k: 3 }, { scores: new Float32Array([1, 2]) });
 * const { header, arrays } = unpack(bytes); // arrays.scores is a Float32Array
 */
export type PackedArray = Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(a: PackableArray): Kind {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  return 'u8';
}

const align8 = (n: number) => (n + 7) & ~7;

/** Any of the five kinds `unpack` restores (over any buffer). */
export type PackableArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export function pack(header: Record<string, unknown>, arrays: Record<string, PackableArray> = {}): Uint8Array {
  const layout: Array<{ name: string; kind: Kind; length: number; offset: number }> = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    layout.push({ name, kind: kindOf(a), length: a.length, offset });
    offset = align8(offset + a.byteLength);
  }
  const head = new TextEncoder().encode(JSON.stringify({ header, layout }));
  const start = align8(8 + head.length);
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, 0x4146494e); // "AFIN"
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  for (const l of layout) {
    const a = arrays[l.name];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + l.offset);
  }
  return out;
}

export function unpack(bytes: Uint8Array): { header: Record<string, unknown>; arrays: Record<string, PackedArray> } {
  // Copy into a fresh, aligned buffer: a blob read from a database may start at any offset.
  const buf = new Uint8Array(bytes.byteLength);
  buf.set(bytes);
  const dv = new DataView(buf.buffer);
  if (buf.byteLength < 8 || dv.getUint32(0) !== 0x4146494e) throw new Error('not an Afín model blob');
  const len = dv.getUint32(4, true);
  const { header, layout } = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + len)));
  const start = align8(8 + len);
  const arrays: Record<string, PackedArray> = {};
  for (const l of layout as Array<{ name: string; kind: Kind; length: number; offset: number }>) {
    arrays[l.name] = new KINDS[l.kind](buf.buffer, start + l.offset, l.length);
  }
  return { header, arrays };
}

/** Unpacks a model's saved state, refusing a blob written by another model or another version. */
export function unpackModel(bytes: Uint8Array, model: string, version: number): { header: Record<string, unknown>; arrays: Record<string, PackedArray> } {
  const out = unpack(bytes);
  if (out.header.model !== model || out.header.version !== version) {
    throw new Error(`not a ${model} v${version} model: ${out.header.model} v${out.header.version}`);
  }
  return out;
}
