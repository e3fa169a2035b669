// The memory map's look: VS Code theme variables only (light, dark and high contrast follow the
// workbench without a reload), kind colours from the chart palette, warning from the error
// colour. Injected as one <style> element (the panel's CSP allows inline styles, not scripts).
export const CSS = `
:root {
  --ram: var(--vscode-charts-green, #388a34);
  --rom: var(--vscode-charts-yellow, #bf8803);
  --mmio: var(--vscode-charts-blue, #1a85ff);
  --iommu: var(--vscode-charts-purple, #652d90);
  --warn: var(--vscode-editorError-foreground, #e51400);
  --fg: var(--vscode-editor-foreground, #333);
  --muted: var(--vscode-descriptionForeground, #717171);
  --border: var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  --focus: var(--vscode-focusBorder, #0090f1);
  --bg: var(--vscode-editor-background, #fff);
  --toolbar: 34px;
  --legend: 24px;
}
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; }
body { color: var(--fg); background: var(--bg); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); }
.toolbar { position: absolute; top: 0; left: 0; right: 0; min-height: 34px; box-sizing: border-box; display: flex; flex-wrap: wrap;
  gap: 4px 8px; align-items: center; padding: 4px 8px; border-bottom: 1px solid var(--border); white-space: nowrap; }
.toolbar .title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; max-width: 30%; }
.toolbar button { color: var(--vscode-button-secondaryForeground, var(--fg)); background: var(--vscode-button-secondaryBackground, transparent);
  border: 1px solid var(--vscode-button-border, var(--border)); border-radius: 2px; padding: 2px 7px; cursor: pointer; font: inherit; }
.toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, var(--border)); }
.toolbar button[aria-pressed="true"] { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.toolbar button:focus-visible, .toolbar input:focus-visible { outline: 1px solid var(--focus); outline-offset: 1px; }
.seg { display: inline-flex; }
.seg button { border-radius: 0; margin-left: -1px; }
.steps { display: inline-flex; gap: 6px; align-items: center; min-width: 0; }
.steps[hidden] { display: none; }
.track { position: relative; display: inline-block; width: 180px; height: 22px; }
.track input { width: 100%; margin: 0; position: relative; z-index: 1; background: transparent; accent-color: var(--focus); }
.marks { position: absolute; left: 8px; right: 8px; bottom: 0; height: 5px; }
.marks .mark { position: absolute; width: 3px; height: 5px; margin-left: -1px; background: var(--warn); }
#stepLabel { overflow: hidden; text-overflow: ellipsis; font-family: var(--vscode-editor-font-family); font-size: 12px; }
#stepLabel.beyond { color: var(--warn); font-weight: 600; }
#viewport { position: absolute; top: var(--toolbar); bottom: var(--legend); left: 0; right: 0; overflow: hidden; outline: none; cursor: grab; }
#viewport:focus-visible { box-shadow: inset 0 0 0 1px var(--focus); }
#viewport.dragging { cursor: grabbing; }
svg { display: block; user-select: none; }
svg text { font-family: var(--vscode-editor-font-family, monospace); font-size: 11px; fill: var(--fg); pointer-events: none; }
.head { fill: var(--bg); }
.col-title { font-weight: bold; }
.addr { fill: var(--muted); text-anchor: end; }
.lane { fill: none; stroke: var(--border); }
.band { stroke-width: 0.8; cursor: pointer; }
.k-ram { fill: var(--ram); stroke: var(--ram); } .k-rom { fill: var(--rom); stroke: var(--rom); }
.k-mmio { fill: var(--mmio); stroke: var(--mmio); } .k-iommu { fill: var(--iommu); stroke: var(--iommu); }
.band, .legend-swatch { fill-opacity: 0.32; }
.band.alias { stroke-dasharray: 4 2; }
.band.hidden-part { fill-opacity: 1; }
.h-ram { fill: url(#hatch-ram); stroke: var(--ram); } .h-rom { fill: url(#hatch-rom); stroke: var(--rom); }
.h-mmio { fill: url(#hatch-mmio); stroke: var(--mmio); } .h-iommu { fill: url(#hatch-iommu); stroke: var(--iommu); }
.hatch-ram { stroke: var(--ram); } .hatch-rom { stroke: var(--rom); } .hatch-mmio { stroke: var(--mmio); } .hatch-iommu { stroke: var(--iommu); }
.band.beyond { fill: var(--warn); fill-opacity: 0.45; stroke: var(--warn); stroke-width: 2; }
.band.cluster { fill: var(--muted); stroke: none; fill-opacity: 0.45; }
.band:hover { fill-opacity: 0.55; }
.band.hl { stroke: var(--vscode-editorCursor-foreground, var(--focus)); stroke-width: 2.5; stroke-dasharray: none; fill-opacity: 0.6; }
.band.focus { stroke: var(--focus); stroke-width: 3; stroke-dasharray: none; }
.hatch { stroke-width: 3; }
.gap rect { fill: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.08)); }
.gap path { fill: none; stroke: var(--muted); stroke-width: 0.8; }
.gap text { fill: var(--muted); font-style: italic; }
.limit { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 6 3; }
.limit-label { fill: var(--warn); font-weight: bold; text-anchor: end; }
.beyond-zone { fill: var(--warn); fill-opacity: 0.07; }
#legend { position: absolute; left: 0; right: 0; bottom: 0; height: var(--legend); display: flex; gap: 14px; align-items: center;
  padding: 0 8px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; }
#legend svg { display: inline-block; vertical-align: middle; margin-right: 4px; }
#tooltip { position: fixed; z-index: 10; pointer-events: none; max-width: 520px; padding: 4px 8px; white-space: pre;
  font-family: var(--vscode-editor-font-family); font-size: 12px; color: var(--vscode-editorHoverWidget-foreground, var(--fg));
  background: var(--vscode-editorHoverWidget-background, var(--bg)); border: 1px solid var(--vscode-editorHoverWidget-border, var(--border)); }
#tooltip[hidden] { display: none; }
#message { position: absolute; top: 50%; width: 100%; text-align: center; color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
body.vscode-high-contrast .band, body.vscode-high-contrast-light .band { fill-opacity: 0.15; stroke: var(--vscode-contrastBorder, var(--fg)); stroke-width: 1.5; }
body.vscode-high-contrast .band.beyond, body.vscode-high-contrast-light .band.beyond { stroke: var(--warn); stroke-width: 3; }
`;
