// The `mrd/mapData` request of the built server: the memory map's wire form for an open
// document, with declarations as line ranges, following edits and sequence steps.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { fromWire } from '../../src/ide/mapDecode.js';
import type { MapDataResult } from '../../src/lsp/protocol.js';
import { RpcClient } from './rpcClient.js';

const uri = 'file:///work/q35-vfio-sizing.mrd';
const text = readFileSync(path.join(root, 'samples/q35-vfio-sizing.mrd'), 'utf8');

beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
}, 60_000);

describe('mrd/mapData', () => {
  let c: RpcClient;
  beforeAll(async () => {
    c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
    await c.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    c.notify('initialized', {});
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text } });
  });
  afterAll(() => c.kill());

  it('answers with the columns, the limits, the sequence and line ranges of the declarations', async () => {
    const r: MapDataResult = await c.request('mrd/mapData', { uri });
    expect(r.version).toBe(1);
    const m = fromWire(r.map);
    expect(m.columns.map((col) => col.title)).toEqual(['memory', 'I/O', 'PCI bus 01 memory (rp0)']);
    expect(m.sequence).toMatchObject({ name: 'linux-2014-sizing', current: 8 });
    const ioapic = m.regions.find((x) => x.name === 'ioapic')!;
    const line = text.split('\n').findIndex((l) => l.includes('io ioapic'));
    expect(ioapic.nameRange).toEqual([line, text.split('\n')[line].indexOf('ioapic size'), line, text.split('\n')[line].indexOf('ioapic size') + 6]);
    expect(m.sequence!.steps[5].decl?.[0]).toBe(text.split('\n').findIndex((l) => l.includes('write 0x14 4 0xffff_ffff')));
  });

  it('gives the state after a step', async () => {
    const r: MapDataResult = await c.request('mrd/mapData', { uri, step: 6 });
    const m = fromWire(r.map);
    expect(m.sequence?.current).toBe(6);
    expect(m.columns[2].bands.map((b) => b.start)).toEqual([0xffff_ffff_febe_0000n]);
  });

  it('follows edits (the version it answers for is the latest)', async () => {
    c.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'address-space m root r\nio r size 4K\n' }] });
    const r: MapDataResult = await c.request('mrd/mapData', { uri });
    expect(r.version).toBe(2);
    expect(fromWire(r.map).columns.map((col) => col.title)).toEqual(['m']);
    expect(await c.request('mrd/mapData', { uri: 'file:///not/open.mrd' })).toBeNull();
  });
});
