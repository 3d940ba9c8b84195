import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { statusLabel } from '../format.js';

/** Small pieces every page uses. */

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'delivered' ? 'ok' : status.startsWith('error') ? 'bad' : status === 'sent' ? 'info' : 'wait';
  return <span class={`badge ${tone}`}>{statusLabel(status)}</span>;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard refused (plain http on another host): select the text for Ctrl-C instead.
      fallbackCopy(text);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" class="button small" onClick={() => void copy()} aria-label={label}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function fallbackCopy(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function Alert({ children, tone = 'bad' }: { children: ComponentChildren; tone?: 'bad' | 'ok' | 'info' }) {
  return (
    <div class={`alert ${tone}`} role={tone === 'bad' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{title}</h1>
      {children !== undefined && <div class="page-actions">{children}</div>}
    </header>
  );
}
