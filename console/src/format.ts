/** How the console writes numbers and times: one place, so every page reads alike. */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const count = (n: number): string => integer.format(n);
export const rate = (n: number): string => (n >= 100 ? integer.format(n) : decimal.format(n));
export const millis = (ms: number | null): string => (ms === null ? '–' : ms >= 100 ? `${integer.format(ms)} ms` : `${decimal.format(ms)} ms`);

export function dateTime(iso: string | null): string {
  if (iso === null) return '–';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function time(iso: string | null): string {
  if (iso === null) return '–';
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "+1.2 s" between two times: how long a message spent in a status. */
export function elapsed(fromIso: string, toIso: string): string {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `+${integer.format(ms)} ms`;
  if (ms < 60_000) return `+${decimal.format(ms / 1000)} s`;
  return `+${decimal.format(ms / 60_000)} min`;
}

export function ago(iso: string | null, now = Date.now()): string {
  if (iso === null) return '–';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export const statusLabel = (status: string): string => status.replace(/^error_/, 'error: ');
