// Reads the client's `mrd` settings section into MrdSettings, tolerating missing or
// ill-typed values (each falls back to its default) so a bad setting never stops the server.
import { defaultSettings, type MrdSettings, type SeverityOverride } from './protocol.js';

const severities = new Set<SeverityOverride>(['error', 'warning', 'information', 'hint', 'off']);

function bits(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 64 ? v : fallback;
}

export function readSettings(raw: unknown): MrdSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const severity: Record<string, SeverityOverride> = {};
  if (r.severity && typeof r.severity === 'object') {
    for (const [code, sev] of Object.entries(r.severity)) {
      if (severities.has(sev as SeverityOverride)) severity[code.toUpperCase()] = sev as SeverityOverride;
    }
  }
  return {
    cpu: { physBits: bits(r.cpu?.physBits, defaultSettings.cpu.physBits) },
    iommu: { awBits: bits(r.iommu?.awBits, defaultSettings.iommu.awBits) },
    inlayHints: { enabled: typeof r.inlayHints?.enabled === 'boolean' ? r.inlayHints.enabled : true },
    codeLens: { enabled: typeof r.codeLens?.enabled === 'boolean' ? r.codeLens.enabled : true },
    severity,
    maxItemsComputed: typeof r.maxItemsComputed === 'number' && Number.isInteger(r.maxItemsComputed) && r.maxItemsComputed >= 0
      ? r.maxItemsComputed : defaultSettings.maxItemsComputed,
  };
}
