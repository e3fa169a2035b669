// Words for the memory map: what a band is (the SVG's <title> text alternative and the
// webview's tooltip say the same), kind names, and the fixed light palette of exported files.
import { humanSize } from './format.js';
import { type Layout, BAND_KINDS } from './mapLayout.js';
import { formatAddr } from './mapScale.js';
import type { BandKind, MapInput } from './mapTypes.js';

export const KIND_LABEL: Record<BandKind, string> = { ram: 'RAM', rom: 'ROM', mmio: 'MMIO / I/O', iommu: 'IOMMU' };

/** Colours of exported files: fixed, readable on light and dark page backgrounds alike. */
export const LIGHT_PALETTE = {
  background: '#ffffff',
  text: '#1f2328',
  muted: '#59636e',
  grid: '#d1d9e0',
  ram: '#9fd8a4',
  rom: '#f2d58a',
  mmio: '#9cc3f5',
  iommu: '#d2b3f2',
  stroke: '#3d444d',
  warning: '#d1242f',
  warningFill: '#ffb3ab',
  gap: '#f6f8fa',
} as const;

export interface BandDescription {
  /** The region's name. */
  readonly name: string;
  /** `name: 0x…..0x… (4 KiB), MMIO / I/O, priority 1, via a → b` in one line. */
  readonly line: string;
  /** The same as separate lines for a tooltip. */
  readonly lines: readonly string[];
}

/** Describes band `i` of a layout (lane 0: visible; otherwise a hidden part). */
export function describeBand(layout: Layout, i: number): BandDescription {
  const input: MapInput = layout.input;
  const B = layout.bands;
  const col = input.columns[B.column[i]];
  const hidden = B.lane[i] > 0;
  const src = hidden ? col.hidden[B.index[i]] : col.bands[B.index[i]];
  const r = input.regions[src.region];
  const kind = KIND_LABEL[BAND_KINDS[B.kind[i]]];
  const range = `${formatAddr(src.start, layout.axis.digits)}..${formatAddr(src.end - 1n, layout.axis.digits)}`;
  const size = humanSize(src.end - src.start);
  const via = src.via.map((v) => input.regions[v].name);
  const lines = [
    `${r.name}${hidden ? ' (hidden)' : ''}`,
    `${range} (${size})`,
    `${kind}${'readonly' in src && src.readonly && BAND_KINDS[B.kind[i]] === 'ram' ? ', read-only' : ''}, priority ${r.priority}`,
  ];
  if (r.path !== r.name) lines.push(`in ${r.path}`);
  if (via.length > 0) lines.push(`via ${[...via, r.name].join(' → ')}`);
  if ('offset' in src && src.offset !== 0n) lines.push(`offset ${formatAddr(src.offset, 4)} in ${r.name}`);
  if ('by' in src) lines.push(`covered by ${input.regions[src.by].name}`);
  for (let l = 0; l < 32; l++) if (B.beyond[i] & (1 << l)) lines.push(`beyond ${input.limits[l].label}`);
  return { name: r.name, line: lines.join('; '), lines };
}
