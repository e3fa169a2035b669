// The one diagnostic catalogue: every code, its default severity, a message template and
// a paragraph users can open. Bands: 1xxx syntax, 2xxx names/structure, 3xxx flattening
// and overlap, 4xxx widths, 5xxx PCI/BAR, 6xxx sequences. Each band lives in its own file.
import type { Diagnostic, RelatedInfo, Severity } from '../diagnostic.js';
import type { Span } from '../span.js';
import { syntaxCodes } from './syntax.js';
import { structureCodes } from './structure.js';
import { flattenCodes } from './flatten.js';
import { importerCodes } from './importer.js';
import { widthCodes } from './widths.js';
import { pciCodes } from './pci.js';
import { sequenceCodes } from './sequence.js';

export interface CatalogEntry {
  readonly code: string;
  readonly severity: Severity;
  /** Message template; `{name}` placeholders are filled from the arguments. */
  readonly message: string;
  readonly explanation: string;
}

export const catalog: ReadonlyMap<string, CatalogEntry> = new Map(
  [...syntaxCodes, ...structureCodes, ...flattenCodes, ...importerCodes, ...widthCodes, ...pciCodes, ...sequenceCodes].map((e) => [e.code, e]),
);

export function format(template: string, args: Record<string, string | number | bigint>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}

/** Build a diagnostic from its catalogue entry. Unknown codes are a programming error. */
export function diag(
  code: string,
  span: Span,
  args: Record<string, string | number | bigint> = {},
  related?: RelatedInfo[],
): Diagnostic {
  const e = catalog.get(code);
  if (!e) throw new Error(`unknown diagnostic code ${code}`);
  return { code, severity: e.severity, message: format(e.message, args), span, related };
}
