/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The memory-map webview: lays out the map the server describes (the same pure layout as the
// SVG export) and draws the visible part (render.ts). Zoom and pan with mouse and keyboard,
// tooltips, click to reveal a declaration, arrow keys through regions, the editor's cursor
// highlighted, a step slider with play, and live updates that keep the zoom.
import { type Layout, bandAt, layoutMap } from '../../../../server/src/ide/mapLayout.js';
import { describeBand, KIND_LABEL } from '../../../../server/src/ide/mapDescribe.js';
import { type ScaleKind, addrAt, yAt } from '../../../../server/src/ide/mapScale.js';
import { type ViewInput, fromWire } from '../../../../server/src/ide/mapDecode.js';
import { type FromView, type ToView, mapFromBytes } from '../messages.js';
import { HEADER, renderMap } from './render.js';
import { CSS } from './style.js';

declare function acquireVsCodeApi(): { postMessage(m: FromView): void };
const vscode = acquireVsCodeApi();
const post = (m: FromView) => vscode.postMessage(m);

type Input = ViewInput;

const state = {
  input: undefined as Input | undefined,
  layout: undefined as Layout | undefined,
  file: document.getElementById('app')?.dataset.file ?? '',
  scale: 'compressed' as ScaleKind,
  zoom: 1,
  panX: 0,
  panY: 0,
  focus: -1,
  highlight: null as Set<number> | null,
  /** The editor's cursor: the highlight is recomputed from it when new data arrives. */
  cursor: undefined as { line: number; character: number } | undefined,
  /** Width of a column's main lane, from the panel's width. */
  mainWidth: 200,
  /** The step the slider asked for, until the data for it arrives. */
  pendingStep: undefined as number | undefined,
  /** The latest map's arrival (Date.now()) and its decode, first layout and first draw, ms. */
  timing: { received: 0, decode: 0, layout: 0, draw: 0 },
};

// ---- DOM ---------------------------------------------------------------------------------
const style = document.createElement('style');
style.textContent = CSS;
document.head.appendChild(style);
const app = document.getElementById('app')!;
const kinds = Object.keys(KIND_LABEL) as (keyof typeof KIND_LABEL)[];
const swatch = (cls: string, extra = '') => `<svg width="14" height="10"><rect class="${cls}" x="1" y="1" width="12" height="8" ${extra}/></svg>`;
app.innerHTML = `
<div class="toolbar">
  <span class="title" id="title"></span>
  <span class="seg" role="group" aria-label="Scale">
    <button data-scale="compressed" title="Empty stretches collapse into break marks">Compressed</button><button data-scale="linear">Linear</button><button data-scale="log">Log</button>
  </span>
  <span><button id="zoomOut" title="Zoom out (-)" aria-label="Zoom out">−</button> <button id="zoomIn" title="Zoom in (+)" aria-label="Zoom in">+</button> <button id="fit" title="Fit the whole map (0)">Fit</button></span>
  <span class="steps" id="steps" hidden>
    <button id="play" title="Play the sequence step by step" aria-label="Play the sequence">▶</button>
    <span class="track"><input id="step" type="range" min="0" max="0" value="0" aria-label="Sequence step"><span class="marks" id="marks"></span></span>
    <span id="stepLabel"></span>
  </span>
</div>
<div id="viewport" tabindex="0" role="application" aria-roledescription="memory map"
  aria-label="Memory map. Up and down arrows move between regions, left and right between columns, Enter reveals the declaration, plus and minus zoom, Page Up and Page Down scroll, 0 fits.">
  <svg id="map"><defs>${kinds.map((k) => `<pattern id="hatch-${k}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><line class="hatch hatch-${k}" x1="0" y1="0" x2="0" y2="6"/></pattern>`).join('')}</defs><g id="content"></g></svg>
  <div id="message" role="status">Computing the memory map…</div>
</div>
<div id="legend">${kinds.map((k) => `<span>${swatch(`legend-swatch k-${k}`)}${KIND_LABEL[k]}</span>`).join('')}
  <span>${swatch('band k-ram alias', 'fill-opacity="0"')}through an alias</span>
  <span>${swatch('band hidden-part h-mmio')}hidden (covered)</span>
  <span>${swatch('band beyond')}beyond a limit</span></div>
<div id="tooltip" role="tooltip" hidden></div>
<div id="live" class="sr-only" aria-live="polite"></div>`;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const viewport = $<HTMLDivElement>('viewport');
const svg = document.getElementById('map') as unknown as SVGSVGElement;
const content = document.getElementById('content') as unknown as SVGGElement;
const tooltip = $<HTMLDivElement>('tooltip');
const slider = $<HTMLInputElement>('step');
const live = $<HTMLDivElement>('live');

// ---- view geometry -----------------------------------------------------------------------
const size = () => ({ width: viewport.clientWidth, height: viewport.clientHeight });
const avail = () => Math.max(1, size().height - HEADER);
/** Room kept under the last band, for its end address. */
const BOTTOM = 16;
const fitZoom = () => (state.layout && state.layout.height > 0 ? Math.max(1, avail() - BOTTOM) / state.layout.height : 1);
const minZoom = () => Math.min(fitZoom(), 1) / 2;

function clampView(): void {
  const l = state.layout;
  if (!l) return;
  state.zoom = Math.min(Math.max(state.zoom, minZoom()), 1e9);
  const maxPan = Math.max(0, l.height - (avail() - BOTTOM) / state.zoom);
  state.panY = Math.min(Math.max(state.panY, 0), maxPan);
  state.panX = Math.min(Math.max(state.panX, 0), Math.max(0, l.width + 420 - size().width));
}

/** Zoom by `factor` keeping the layout point under screen height `at` in place. */
function zoomAt(factor: number, at = HEADER + avail() / 2): void {
  const y = state.panY + (at - HEADER) / state.zoom;
  state.zoom *= factor;
  clampView();
  state.panY = y - (at - HEADER) / state.zoom;
  draw();
}

/**
 * A User Timing entry from `start` to now, for the benchmark (bench/mapBrowser.ts observes
 * them) and the browser's profiler; only the latest of each name stays in the buffer.
 */
function measure(name: string, start: number): void {
  performance.clearMeasures(name);
  performance.measure(name, { start });
}

let frame = 0;
let lastReport = '';
function draw(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const l = state.layout;
    if (!l) return;
    const t0 = performance.now();
    clampView();
    const { width, height } = size();
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const r = renderMap(l, { width, height, panX: state.panX, panY: state.panY, zoom: state.zoom }, { highlight: state.highlight, focus: state.focus });
    content.innerHTML = r.svg;
    measure('mrd-draw', t0);
    if (!state.timing.draw) state.timing.draw = performance.now() - t0;
    const shown = { bands: r.drawn, scale: state.scale, step: state.input?.sequence?.current };
    const key = JSON.stringify(shown);
    if (key !== lastReport) {
      lastReport = key;
      post({ type: 'rendered', ...shown, timing: { ...state.timing } });
    }
  });
}

// ---- data --------------------------------------------------------------------------------
function relayout(input: Input, keepView: boolean): void {
  const old = state.layout;
  const anchor = old && keepView ? addrAt(old.axis, state.panY) : undefined;
  const focused = old && state.focus >= 0 ? { column: old.bands.column[state.focus], start: focusStart(old) } : undefined;
  state.input = input;
  state.mainWidth = laneWidth(input);
  const t0 = performance.now();
  state.layout = layoutMap(input, { scale: state.scale, gutter: 0, mainWidth: state.mainWidth, columnGap: 18 });
  measure('mrd-layout', t0);
  if (!state.timing.layout) state.timing.layout = performance.now() - t0;
  if (anchor !== undefined) state.panY = yAt(state.layout.axis, anchor) ?? 0;
  else {
    state.zoom = state.scale === 'compressed' ? Math.max(1, fitZoom()) : fitZoom();
    state.panY = 0;
  }
  state.focus = focused ? bandAt(state.layout, focused.column, focused.start) : -1;
  draw();
}

/** Main lanes share the panel's width (hidden lanes and gaps aside), within readable bounds. */
function laneWidth(input: Input): number {
  const n = Math.max(1, input.columns.length);
  const free = size().width - 176 - n * 18 - input.columns.filter((c) => c.hidden.length).length * 52;
  return Math.round(Math.min(260, Math.max(96, free / n)));
}

function focusStart(l: Layout): bigint {
  const col = l.input.columns[l.bands.column[state.focus]];
  const i = l.bands.index[state.focus];
  return l.bands.lane[state.focus] === 0 ? col.bands[i].start : col.hidden[i].start;
}

function showSequence(input: Input): void {
  const seq = input.sequence;
  $<HTMLSpanElement>('steps').hidden = !seq;
  if (!seq) return;
  slider.max = String(seq.steps.length);
  if (state.pendingStep === undefined || state.pendingStep === seq.current) {
    slider.value = String(seq.current);
    state.pendingStep = undefined;
  }
  $<HTMLSpanElement>('marks').innerHTML = seq.steps
    .map((s, i) => (s.beyond.length ? `<span class="mark" style="left: ${((i + 1) / seq.steps.length) * 100}%" title="step ${i + 1}${s.label ? ` “${s.label}”` : ''}: a BAR beyond ${s.beyond.join(', ')}"></span>` : ''))
    .join('');
  stepLabel(seq.current);
}

function stepLabel(n: number): void {
  const seq = state.input?.sequence;
  const el = $<HTMLSpanElement>('stepLabel');
  if (!seq) return;
  const s = n > 0 ? seq.steps[n - 1] : undefined;
  el.textContent = n === 0 ? `step 0/${seq.steps.length}: start state` :
    `step ${n}/${seq.steps.length}${s?.label ? ` “${s.label}”` : ''}: ${s?.text ?? ''}${s?.beyond.length ? `  ⚠ beyond ${s.beyond.join(', ')}` : ''}`;
  el.classList.toggle('beyond', !!s?.beyond.length);
  el.title = el.textContent;
}

window.addEventListener('message', (e: MessageEvent<ToView>) => {
  const m = e.data;
  if (m.type === 'data') {
    $<HTMLDivElement>('message').textContent = '';
    const t0 = performance.now();
    const input = fromWire(mapFromBytes(m.map));
    measure('mrd-decode', t0);
    state.timing = { received: performance.timeOrigin + t0, decode: performance.now() - t0, layout: 0, draw: 0 };
    state.file = m.file;
    const seq = input.sequence;
    $<HTMLSpanElement>('title').textContent = `${m.file}${seq ? ` · ${seq.name}` : ''}`;
    relayout(input, state.layout !== undefined);
    // Region indices are per map: find the declaration under the cursor again.
    if (state.cursor) cursorAt(state.cursor.line, state.cursor.character, false);
    showSequence(input);
    if (!input.columns.length) $<HTMLDivElement>('message').textContent = 'No address space to show.';
  } else if (m.type === 'cursor') {
    state.cursor = { line: m.line, character: m.character };
    cursorAt(m.line, m.character, true);
  } else if (m.type === 'error') {
    $<HTMLDivElement>('message').textContent = m.message;
  }
});

// ---- cursor → highlight --------------------------------------------------------------------
const before = (a: readonly number[], line: number, ch: number) => a[0] < line || (a[0] === line && a[1] <= ch);
const after = (a: readonly number[], line: number, ch: number) => a[2] > line || (a[2] === line && a[3] >= ch);

function cursorAt(line: number, ch: number, scroll: boolean): void {
  const input = state.input;
  if (!input) return;
  // The innermost declaration containing the cursor.
  let best = -1;
  let bestSize = Infinity;
  input.regions.forEach((r, i) => {
    const d = r.decl;
    if (!d || !before(d, line, ch) || !after(d, line, ch)) return;
    const s = (d[2] - d[0]) * 1e6 + (d[3] - d[1]);
    if (s < bestSize) {
      best = i;
      bestSize = s;
    }
  });
  state.highlight = best >= 0 ? new Set([best]) : null;
  if (best >= 0 && scroll) scrollToRegion(best);
  draw();
}

function scrollToRegion(region: number): void {
  const l = state.layout!;
  const B = l.bands;
  for (let i = 0; i < B.count; i++) {
    // The band's own region from the layout; its alias chain (an object made on access) only when it has one.
    if (B.region[i] !== region) {
      if (!(B.flags[i] & 1)) continue;
      const col = l.input.columns[B.column[i]];
      const src = B.lane[i] === 0 ? col.bands[B.index[i]] : col.hidden[B.index[i]];
      if (!src.via.includes(region)) continue;
    }
    ensureVisible(i);
    return;
  }
}

function ensureVisible(i: number): void {
  const l = state.layout!;
  const y0 = l.bands.y0[i];
  const y1 = l.bands.y1[i];
  const span = avail() / state.zoom;
  if (y0 < state.panY || y1 > state.panY + span) state.panY = Math.max(0, (y0 + y1) / 2 - span / 2);
}

// ---- mouse -------------------------------------------------------------------------------
const bandOfEvent = (e: Event): number => {
  const t = (e.target as Element).closest?.('[data-i]');
  return t ? Number(t.getAttribute('data-i')) : -1;
};

viewport.addEventListener('wheel', (e) => {
  e.preventDefault();
  if (e.ctrlKey || e.metaKey) zoomAt(Math.exp(-e.deltaY * 0.002), e.clientY - viewport.getBoundingClientRect().top);
  else {
    state.panY += e.deltaY / state.zoom;
    state.panX += e.deltaX;
    draw();
  }
}, { passive: false });

let drag: { x: number; y: number; panX: number; panY: number; moved: boolean } | undefined;
viewport.addEventListener('mousedown', (e) => {
  drag = { x: e.clientX, y: e.clientY, panX: state.panX, panY: state.panY, moved: false };
});
window.addEventListener('mousemove', (e) => {
  if (drag && (e.buttons & 1)) {
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
    if (drag.moved) {
      viewport.classList.add('dragging');
      state.panX = drag.panX - (e.clientX - drag.x);
      state.panY = drag.panY - (e.clientY - drag.y) / state.zoom;
      tooltip.hidden = true;
      draw();
      return;
    }
  }
  const i = bandOfEvent(e);
  const cluster = (e.target as Element).closest?.('[data-cluster]');
  if (i >= 0 && state.layout) {
    tooltip.textContent = describeBand(state.layout, i).lines.join('\n') + '\n(click: go to the declaration)';
  } else if (cluster) {
    tooltip.textContent = `${cluster.getAttribute('data-cluster')!.split(':')[1]} regions too thin to draw: zoom in (click)`;
  } else {
    tooltip.hidden = true;
    return;
  }
  tooltip.hidden = false;
  const x = Math.min(e.clientX + 14, window.innerWidth - tooltip.offsetWidth - 4);
  const y = e.clientY + 16 + tooltip.offsetHeight > window.innerHeight ? e.clientY - tooltip.offsetHeight - 8 : e.clientY + 16;
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${Math.max(0, y)}px`;
});
viewport.addEventListener('mouseleave', () => (tooltip.hidden = true));
window.addEventListener('mouseup', (e) => {
  const d = drag;
  drag = undefined;
  viewport.classList.remove('dragging');
  if (!d || d.moved || !state.layout) return;
  const i = bandOfEvent(e);
  if (i >= 0) {
    state.focus = i;
    post({ type: 'reveal', region: state.layout.bands.region[i] });
    draw();
  } else if ((e.target as Element).closest?.('[data-cluster]')) zoomAt(8, e.clientY - viewport.getBoundingClientRect().top);
});

// ---- keyboard ----------------------------------------------------------------------------
function moveFocus(delta: number, column?: number): void {
  const l = state.layout;
  if (!l || l.bands.count === 0) return;
  const B = l.bands;
  let i = state.focus;
  if (column !== undefined) {
    const start = i >= 0 ? focusStart(l) : 0n;
    const j = bandAt(l, column, start);
    i = j >= 0 ? j : B.column.indexOf(column);
  } else if (i < 0) {
    // Start at the first main-lane band on screen.
    i = 0;
    while (i < B.count - 1 && (B.lane[i] !== 0 || B.y1[i] < state.panY)) i++;
  } else {
    const j = i + delta;
    if (j >= 0 && j < B.count && B.column[j] === B.column[i] && B.lane[j] === B.lane[i]) i = j;
  }
  if (i < 0) return;
  state.focus = i;
  ensureVisible(i);
  live.textContent = describeBand(l, i).lines.join(', ');
  draw();
}

viewport.addEventListener('keydown', (e) => {
  const l = state.layout;
  if (!l) return;
  const page = avail() / state.zoom;
  const col = state.focus >= 0 ? l.bands.column[state.focus] : 0;
  const handled = (() => {
    switch (e.key) {
      case 'ArrowDown': if (e.shiftKey) state.panY += 40 / state.zoom; else moveFocus(1); return true;
      case 'ArrowUp': if (e.shiftKey) state.panY -= 40 / state.zoom; else moveFocus(-1); return true;
      case 'ArrowRight': moveFocus(0, Math.min(col + 1, l.columns.length - 1)); return true;
      case 'ArrowLeft': moveFocus(0, Math.max(col - 1, 0)); return true;
      case 'PageDown': state.panY += page * 0.9; return true;
      case 'PageUp': state.panY -= page * 0.9; return true;
      case 'Home': state.panY = 0; return true;
      case 'End': state.panY = l.height; return true;
      case '+': case '=': zoomAt(1.5, focusY()); return true;
      case '-': case '_': zoomAt(1 / 1.5, focusY()); return true;
      case '0': state.zoom = fitZoom(); state.panY = 0; return true;
      case 'Enter': case ' ':
        if (state.focus >= 0) post({ type: 'reveal', region: l.bands.region[state.focus] });
        return true;
      case 'Escape': state.focus = -1; state.highlight = null; return true;
    }
    return false;
  })();
  if (handled) {
    e.preventDefault();
    draw();
  }
});

/** Screen height of the focused band (zoom keeps it in place), else the middle. */
function focusY(): number | undefined {
  const l = state.layout;
  if (!l || state.focus < 0) return undefined;
  return HEADER + ((l.bands.y0[state.focus] + l.bands.y1[state.focus]) / 2 - state.panY) * state.zoom;
}

// ---- toolbar -----------------------------------------------------------------------------
const scaleButtons = [...document.querySelectorAll<HTMLButtonElement>('[data-scale]')];
function setScale(s: ScaleKind): void {
  state.scale = s;
  for (const b of scaleButtons) b.setAttribute('aria-pressed', String(b.dataset.scale === s));
  if (state.input) relayout(state.input, false);
}
for (const b of scaleButtons) b.addEventListener('click', () => setScale(b.dataset.scale as ScaleKind));
setScale('compressed');
$('zoomIn').addEventListener('click', () => zoomAt(1.5));
$('zoomOut').addEventListener('click', () => zoomAt(1 / 1.5));
$('fit').addEventListener('click', () => {
  state.zoom = fitZoom();
  state.panY = 0;
  draw();
});

let stepTimer: ReturnType<typeof setTimeout> | undefined;
function requestStep(n: number): void {
  state.pendingStep = n;
  stepLabel(n);
  clearTimeout(stepTimer);
  stepTimer = setTimeout(() => post({ type: 'step', step: n }), 60);
}
slider.addEventListener('input', () => requestStep(Number(slider.value)));

let playing: ReturnType<typeof setInterval> | undefined;
const play = $<HTMLButtonElement>('play');
function stop(): void {
  clearInterval(playing);
  playing = undefined;
  play.textContent = '▶';
  play.setAttribute('aria-label', 'Play the sequence');
}
play.addEventListener('click', () => {
  if (playing) return stop();
  const max = Number(slider.max);
  if (Number(slider.value) >= max) slider.value = '0';
  play.textContent = '⏸';
  play.setAttribute('aria-label', 'Pause');
  requestStep(Number(slider.value));
  playing = setInterval(() => {
    const next = Number(slider.value) + 1;
    if (next > max) return stop();
    slider.value = String(next);
    requestStep(next);
  }, 900);
});

// A resize redraws at once and re-lays out (lane widths) once it settles.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  draw();
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (state.input && Math.abs(laneWidth(state.input) - state.mainWidth) > 8) relayout(state.input, true);
  }, 200);
}).observe(viewport);
// The toolbar wraps on narrow panels: the map starts below it.
new ResizeObserver(() => document.body.style.setProperty('--toolbar', `${document.querySelector('.toolbar')!.getBoundingClientRect().height}px`))
  .observe(document.querySelector('.toolbar')!);
post({ type: 'ready' });
