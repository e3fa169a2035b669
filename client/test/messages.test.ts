// The map as it is posted to the webview (client/src/map/messages.ts): UTF-8 bytes of its JSON,
// structured-cloned on the way as postMessage does, decode to the same wire form — for every
// sample and for names outside ASCII.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../server/src/ide/analysis.js';
import { mapWire } from '../../server/src/ide/mapData.js';
import { mapBytes, mapFromBytes } from '../src/map/messages.js';

const SAMPLES = path.resolve(__dirname, '../../samples');
const range = (s: { start: number; end: number }) => [0, s.start, 0, s.end] as const;

describe('the map posted to the webview', () => {
  it('decodes to the wire form it was made from, for every sample', () => {
    for (const name of readdirSync(SAMPLES).filter((f) => f.endsWith('.mrd'))) {
      const wire = mapWire(analyzeDocument(readFileSync(path.join(SAMPLES, name), 'utf8')), {}, range);
      const bytes = mapBytes(wire);
      expect(bytes).toBeInstanceOf(Uint8Array);
      // A buffer of its own: VS Code sends a view's whole underlying buffer.
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      expect(mapFromBytes(structuredClone(bytes)), name).toEqual(wire);
    }
  });

  it('keeps names outside ASCII', () => {
    const text = 'address-space memory root "système"\ncontainer "système" size 64K {\n  ram "mémoire-ü" size 4K\n  io "寄存器" size 4K at 0x1000\n}\n';
    const wire = mapWire(analyzeDocument(text), {}, range);
    expect(wire.regions.names).toContain('寄存器');
    expect(mapFromBytes(structuredClone(mapBytes(wire)))).toEqual(wire);
  });
});
