// bench/RESULTS.md holds each benchmark's tables, which the scripts rewrite on every run, and
// below them the notes written by hand after each round (what changed, measured how, what was
// tried). The notes of a section are its paragraphs from the first one that begins a round
// ("Round of …", "Earlier round…", "Older round…", "Earlier runs…"): a script that rewrites the
// section puts them back after its new tables, so no run loses them.

const NOTE_START = /^(Round of|Earlier round|Older round|Earlier runs)/;

/** The section under `heading` (from it to the next `## ` heading), or '' when there is none. */
export function sectionOf(text: string, heading: string): string {
  const at = text.indexOf(`${heading}\n`);
  if (at < 0) return '';
  const next = text.indexOf('\n## ', at + heading.length);
  return next >= 0 ? text.slice(at, next + 1) : text.slice(at);
}

/** The hand-written notes of the section under `heading` in `text`, minus paragraphs the new `generated` block has. */
export function notesOf(text: string, heading: string, generated: string): string {
  const paragraphs = sectionOf(text, heading).split(/\n{2,}/).map((p) => p.trim()).filter((p) => p !== '');
  const first = paragraphs.findIndex((p) => NOTE_START.test(p));
  if (first < 0) return '';
  const have = new Set(generated.split(/\n{2,}/).map((p) => p.trim()));
  return paragraphs.slice(first).filter((p) => !have.has(p) && !p.startsWith('For scale, the *published*')).join('\n\n');
}

/** `generated` followed by the old section's notes. */
export function withNotes(text: string, heading: string, generated: string): string {
  const notes = notesOf(text, heading, generated);
  return generated.trimEnd() + '\n\n' + (notes === '' ? '' : notes + '\n\n');
}
