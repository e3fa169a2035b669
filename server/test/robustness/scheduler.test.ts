// The debounce timer is the one place where an exception would end the server process (Node
// treats an error thrown in a timer as fatal): an analysis or a publish that throws must be
// reported and the document left unpublished, never crash.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { Scheduler } from '../../src/lsp/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Scheduler: failures inside the debounce timer', () => {
  it('an analysis that throws is reported, nothing is published, the next version works', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const s = new Scheduler((text) => {
      if (fail) throw new Error('builder bug');
      return analyzeDocument(text);
    }, 5);
    s.onError = (e) => errors.push(e);
    const published: number[] = [];
    s.update('file:///a.mrd', 1, 'ram a size 4K');
    s.schedule('file:///a.mrd', (x) => published.push(x.version));
    await sleep(40);
    expect(published).toEqual([]);
    expect(String(errors[0])).toContain('builder bug');
    fail = false;
    s.update('file:///a.mrd', 2, 'ram a size 4K');
    s.schedule('file:///a.mrd', (x) => published.push(x.version));
    await sleep(40);
    expect(published).toEqual([2]);
  });
  it('a publish that throws is reported', async () => {
    const errors: unknown[] = [];
    const s = new Scheduler((text) => analyzeDocument(text), 5);
    s.onError = (e) => errors.push(e);
    s.update('file:///a.mrd', 1, 'ram a size 4K');
    s.schedule('file:///a.mrd', () => {
      throw new Error('convert bug');
    });
    await sleep(40);
    expect(String(errors[0])).toContain('convert bug');
  });
});
