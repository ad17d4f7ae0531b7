import { describe, expect, it } from 'vitest';
import { pack, unpack } from '../../../src/recommend/models/pack.ts';

describe('pack / unpack', () => {
  it('round-trips the header and every typed array kind', () => {
    const header = { model: 'x', version: 3, nested: { list: [1, 'two', null], flag: true } };
    const f32 = new Float32Array([1.5, -2.25, NaN, Infinity, -0]);
    const f64 = new Float64Array([Math.PI, -1e300, 5e-324]);
    const i32 = new Int32Array([-2147483648, -1, 0, 2147483647]);
    const u32 = new Uint32Array([0, 1, 4294967295]);
    const u8 = new Uint8Array([0, 7, 255]);
    const { header: h, arrays } = unpack(pack(header, { f32, f64, i32, u32, u8 }));
    expect(h).toEqual(header);
    expect(Object.keys(arrays)).toEqual(['f32', 'f64', 'i32', 'u32', 'u8']);
    expect(arrays.f32).toBeInstanceOf(Float32Array);
    expect(arrays.f64).toBeInstanceOf(Float64Array);
    expect(arrays.i32).toBeInstanceOf(Int32Array);
    expect(arrays.u32).toBeInstanceOf(Uint32Array);
    expect(arrays.u8).toBeInstanceOf(Uint8Array);
    expect(Array.from(arrays.f32)).toEqual(Array.from(f32)); // toEqual treats NaN as equal to NaN
    expect(Object.is(arrays.f32[4], -0)).toBe(true);
    expect(Array.from(arrays.f64)).toEqual(Array.from(f64));
    expect(Array.from(arrays.i32)).toEqual(Array.from(i32));
    expect(Array.from(arrays.u32)).toEqual(Array.from(u32));
    expect(Array.from(arrays.u8)).toEqual(Array.from(u8));
  });

  it('lays every array out 8-byte aligned, so it can be viewed without copying', () => {
    // Odd lengths make each array end off an 8-byte boundary.
    const { arrays } = unpack(pack({}, { a: new Uint8Array(3).fill(1), b: new Float64Array([2, 3]), c: new Int32Array([4]), d: new Float64Array([5]) }));
    for (const a of Object.values(arrays)) expect(a.byteOffset % 8).toBe(0);
    expect(Array.from(arrays.b)).toEqual([2, 3]);
    expect(Array.from(arrays.d)).toEqual([5]);
  });

  it('packs only the viewed part of subarrays, including at an odd byteOffset', () => {
    const big = new Uint8Array([9, 9, 9, 1, 2, 3, 4, 5, 9, 9]);
    const odd = big.subarray(3, 8);
    expect(odd.byteOffset % 2).toBe(1);
    const floats = new Float32Array([-1, 10, 20, 30, -1]).subarray(1, 4); // byteOffset 4
    const ints = new Int32Array([7, 8, 9, 10]).subarray(3); // byteOffset 12, one element
    const { arrays } = unpack(pack({ n: 1 }, { odd, floats, ints }));
    expect(Array.from(arrays.odd)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(arrays.floats)).toEqual([10, 20, 30]);
    expect(Array.from(arrays.ints)).toEqual([10]);
  });

  it('round-trips empty arrays and no arrays', () => {
    const { header, arrays } = unpack(pack({ empty: true }, { none: new Float32Array(0), after: new Int32Array([42]) }));
    expect(header).toEqual({ empty: true });
    expect(arrays.none).toBeInstanceOf(Float32Array);
    expect(arrays.none).toHaveLength(0);
    expect(Array.from(arrays.after)).toEqual([42]);
    expect(unpack(pack({ only: 'header' }))).toEqual({ header: { only: 'header' }, arrays: {} });
  });

  it('reads a blob that starts at an odd offset of a larger buffer, and copies it', () => {
    const bytes = pack({ k: 'v' }, { f: new Float64Array([1.25, 2.5]), u: new Uint32Array([3]) });
    const host = new Uint8Array(bytes.length + 5);
    host.set(bytes, 1);
    const view = host.subarray(1, 1 + bytes.length);
    const { header, arrays } = unpack(view);
    expect(header).toEqual({ k: 'v' });
    expect(Array.from(arrays.f)).toEqual([1.25, 2.5]);
    expect(Array.from(arrays.u)).toEqual([3]);
    // Later changes to the source bytes do not reach the unpacked arrays.
    host.fill(0);
    expect(Array.from(arrays.f)).toEqual([1.25, 2.5]);
  });

  it('rejects bytes that are not an Afín model blob', () => {
    expect(() => unpack(new Uint8Array(0))).toThrow(/not an Afín model blob/);
    expect(() => unpack(new Uint8Array([1, 2, 3]))).toThrow(/not an Afín model blob/);
    expect(() => unpack(new TextEncoder().encode('{"header":{},"layout":[]}'))).toThrow(/not an Afín model blob/);
    const junk = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255);
    expect(() => unpack(junk)).toThrow(/not an Afín model blob/);
  });

  it('rejects a blob with the right magic but a damaged header or cut-off data', () => {
    const good = pack({ a: 1 }, { x: new Float64Array(16) });
    const badJson = good.slice();
    badJson[8] = 0x7b; // '{'
    badJson[9] = 0x7b; // '{' again: not JSON
    expect(() => unpack(badJson)).toThrow();
    expect(() => unpack(good.subarray(0, 12))).toThrow();
    expect(() => unpack(good.subarray(0, good.length - 8))).toThrow();
  });
});
