import type { Series } from '../context.js';
import { percentileOf } from '../load/quantiles.js';

const W = 760;
const PANEL_H = 220;
const PAD = { left: 70, right: 150, top: 40, bottom: 40 };
const COLOURS = ['#8c8c8c', '#1f77b4', '#d62728', '#2ca02c'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at or above `v`. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function panel(top: number, title: string, unit: string, lines: { name: string; points: number[] }[]): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = PANEL_H - PAD.top - PAD.bottom;
  const n = Math.max(1, ...lines.map((l) => l.points.length));
  const max = niceMax(Math.max(0, ...lines.flatMap((l) => l.points.filter(Number.isFinite))));
  const x = (i: number) => PAD.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => top + PAD.top + plotH - (v / max) * plotH;
  const out: string[] = [`<text x="${PAD.left}" y="${top + 22}" font-size="15" font-weight="bold">${esc(title)}</text>`];
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toLocaleString('en-US')}</text>`);
  }
  out.push(`<text x="14" y="${top + PAD.top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${top + PAD.top + plotH / 2})" text-anchor="middle">${esc(unit)}</text>`);
  for (let i = 0; i < n; i++) out.push(`<text x="${x(i)}" y="${top + PANEL_H - PAD.bottom + 16}" font-size="11" text-anchor="middle">${i + 1}</text>`);
  out.push(`<text x="${PAD.left + plotW / 2}" y="${top + PANEL_H - 6}" font-size="11" text-anchor="middle">second of the run</text>`);
  lines.forEach((l, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const pts = l.points.map((v, i) => `${x(i).toFixed(1)},${y(Number.isFinite(v) ? v : 0).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}"/>`);
    l.points.forEach((v, i) => out.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(Number.isFinite(v) ? v : 0).toFixed(1)}" r="2.5" fill="${colour}"/>`));
    out.push(`<rect x="${W - PAD.right + 14}" y="${top + PAD.top + k * 20}" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${W - PAD.right + 32}" y="${top + PAD.top + k * 20 + 11}" font-size="12">${esc(l.name)}</text>`);
  });
  return out.join('\n');
}

/** Throughput and p99 latency per second of the sends phase, ceiling against smsgate. */
export function chart(series: readonly Series[], subtitle: string): string {
  const throughput = series.map((s) => ({ name: s.name, points: s.slices.map((r) => r.ok / r.durationS) }));
  const p99 = series.map((s) => ({ name: s.name, points: s.slices.map((r) => percentileOf(r, 99)) }));
  const height = 2 * PANEL_H + 40;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${PAD.left}" y="${height - 10}" font-size="11" fill="#555">${esc(subtitle)}</text>
${panel(0, 'sendsms answered 200 per second (64 connections)', 'requests/s', throughput)}
${panel(PANEL_H, 'p99 latency per second', 'ms', p99)}
</svg>
`;
}
