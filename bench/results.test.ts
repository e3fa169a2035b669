// The benchmark scripts rewrite their tables in bench/RESULTS.md on every run; the notes written
// by hand under them (one paragraph or more per round) must survive the rewrite.
import { describe, expect, it } from 'vitest';
import { notesOf, withNotes } from './results.js';

const old = [
  '# Benchmark results', '', 'Measured on an older day.', '',
  '## Parse', '', '| n | ms |', '|---:|---:|', '| 1 | 9 |', '', 'Targets: old figures.', '',
  'Round of today: what changed,', 'wrapped over two lines.', '',
  'Tried and not kept: a paragraph inside the round.', '',
  'Older round: before that.', '',
  'For scale, the *published* figures of another tool.', '',
  '## Other', '', 'Round of elsewhere: not this section.', '',
].join('\n');

describe('bench/RESULTS.md notes', () => {
  it('are the paragraphs from the first round on, without the tables or what the new block has', () => {
    expect(notesOf(old, '## Parse', '## Parse\n\n| n | ms |\n\nOlder round: before that.')).toBe(
      'Round of today: what changed,\nwrapped over two lines.\n\nTried and not kept: a paragraph inside the round.',
    );
    expect(notesOf(old, '## Missing', 'x')).toBe('');
    expect(notesOf('## Parse\n\n| n |\n\nTargets.\n', '## Parse', '## Parse')).toBe('');
  });

  it('follow the new tables when a section is rewritten', () => {
    const generated = '## Parse\n\n| n | ms |\n|---:|---:|\n| 1 | 5 |\n\nTargets: new figures.\n\nFor scale, the *published* figures of another tool.';
    const out = withNotes(old, '## Parse', generated);
    expect(out).toBe(`${generated}\n\nRound of today: what changed,\nwrapped over two lines.\n\nTried and not kept: a paragraph inside the round.\n\nOlder round: before that.\n\n`);
    expect(out).not.toContain('| 1 | 9 |');
    // A second run keeps them exactly.
    expect(withNotes(out, '## Parse', generated)).toBe(out);
  });
});
