// The analysis scheduler: per-version cache, debounce, cancellation, settings changes; and
// tolerant settings reading.
import { describe, expect, it } from 'vitest';
import { type Analysis, analyzeDocument } from '../../src/ide/analysis.js';
import { Scheduler } from '../../src/lsp/scheduler.js';
import { readSettings } from '../../src/lsp/settings.js';

const uri = 'file:///a.mrd';
/** The server's analyzer: each version from the previous one. */
const incremental = (text: string, previous?: Analysis) => analyzeDocument(text, undefined, previous);

describe('Scheduler', () => {
  it('analyses each version at most once and always the latest', () => {
    const s = new Scheduler(incremental, 10);
    s.update(uri, 1, 'ram a size 4K\n');
    expect(s.current(uri)?.version).toBe(1);
    s.current(uri);
    expect(s.computed).toBe(1);
    s.update(uri, 2, 'ram b size 4K\n');
    expect(s.current(uri)?.analysis.machine.regions[0].name).toBe('b');
    expect(s.computed).toBe(2);
  });

  // Incremental analysis takes the included files as the previous analysis read them.
  it('analyses a document afresh after a file it includes changed, from the previous analysis otherwise', () => {
    const files: Record<string, string> = { '/w/b.mrd': 'ram r size 4K\n' };
    const ctx = { path: '/w/a.mrd', read: (p: string) => (p in files ? { text: files[p] } : { error: 'missing' as const }) };
    const given: boolean[] = [];
    const s = new Scheduler((text: string, previous?: Analysis) => {
      given.push(previous !== undefined);
      return analyzeDocument(text, undefined, previous, ctx);
    }, 10);
    const names = () => s.current(uri)!.analysis.machine.regions.map((r) => `${r.name} ${r.size}`);
    s.update(uri, 1, 'include "b.mrd"\nram s size 4K\n');
    expect(names()).toEqual(['r 4096', 's 4096']);
    s.update(uri, 2, 'include "b.mrd"\nram s size 8K\n');
    expect(names()).toEqual(['r 4096', 's 8192']);
    files['/w/b.mrd'] = 'ram r2 size 4K\n';
    s.inputsChanged(uri);
    expect(names()).toEqual(['r2 4096', 's 8192']);
    s.update(uri, 3, 'include "b.mrd"\nram s size 16K\n');
    expect(names()).toEqual(['r2 4096', 's 16384']);
    expect(given).toEqual([false, true, false, true]);
  });

  it('waits for the document to settle, skipping intermediate versions', async () => {
    const s = new Scheduler(incremental, 40);
    s.update(uri, 1, 'ram a size 4K\n');
    const pending = s.settled(uri);
    await new Promise((r) => setTimeout(r, 20));
    s.update(uri, 2, 'ram b size 4K\n');
    const snap = await pending;
    expect(snap?.version).toBe(2);
    expect(s.computed).toBe(1);
  });

  it('releases waiters on cancellation and on close', async () => {
    const s = new Scheduler(incremental, 1000);
    s.update(uri, 1, 'ram a size 4K\n');
    const token = { isCancellationRequested: false };
    const cancelled = s.settled(uri, token);
    token.isCancellationRequested = true;
    expect(await cancelled).toBeUndefined();
    const closed = s.settled(uri);
    s.close(uri);
    expect(await closed).toBeUndefined();
    expect(s.computed).toBe(0);
  });

  it('publishes once per burst of changes, for the last version', async () => {
    const s = new Scheduler(incremental, 20);
    const published: number[] = [];
    for (let v = 1; v <= 5; v++) {
      s.update(uri, v, `ram r${v} size 4K\n`);
      s.schedule(uri, (snap) => published.push(snap.version));
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(published).toEqual([5]);
  });

  it('recomputes after a settings change', () => {
    const s = new Scheduler(incremental, 10);
    s.update(uri, 1, 'ram a size 4K\n');
    s.current(uri);
    s.setAnalyzer((t) => analyzeDocument(t, { physBits: 40, awBits: 39 }));
    expect(s.current(uri)?.analysis.options.physBits).toBe(40);
  });
});

describe('readSettings', () => {
  it('keeps valid values and falls back on anything else', () => {
    expect(readSettings({ cpu: { physBits: 39 }, iommu: { awBits: 'x' }, inlayHints: { enabled: false }, severity: { mr2010: 'off', MR2011: 'loud' } }))
      .toEqual({
        cpu: { physBits: 39 }, iommu: { awBits: 48 }, inlayHints: { enabled: false }, codeLens: { enabled: true }, severity: { MR2010: 'off' },
        maxItemsComputed: 5000,
      });
    expect(readSettings(undefined).cpu.physBits).toBe(46);
    expect(readSettings({ maxItemsComputed: 12 }).maxItemsComputed).toBe(12);
    expect(readSettings({ maxItemsComputed: -1 }).maxItemsComputed).toBe(5000);
    expect(readSettings({ maxItemsComputed: 2.5 }).maxItemsComputed).toBe(5000);
  });
});
