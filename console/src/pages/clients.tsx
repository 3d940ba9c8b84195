import { useState } from 'preact/hooks';
import { placeholderNames } from '../../../src/domain/template.js';
import { api, type Client, type Template } from '../api.js';
import { useCatalog } from '../catalog.js';
import { Alert, CopyButton, Empty, PageHeader } from '../components/bits.js';
import { dateTime } from '../format.js';
import { href } from '../router.js';

/** A secret the API answered once: shown until the operator dismisses it or leaves the page. */
interface Shown {
  readonly clientId: string;
  readonly what: 'passcode' | 'callback secret';
  readonly value: string;
  readonly curl?: string;
}

/**
 * The seed API's send, ready to paste: a template this client may use, a value for each of its
 * placeholders (by name, as sendsms takes them).
 */
export function sendCurl(publicUrl: string, clientId: string, passcode: string, templates: readonly Template[]): string {
  const template = templates.find((t) => t.client_id === clientId) ?? templates.find((t) => t.client_id === null);
  const templetId = template?.templet_id ?? 't1';
  const contents = Object.fromEntries((template === undefined ? ['p1'] : placeholderNames(template.text)).map((name) => [name, '8888']));
  const body = JSON.stringify({ client_id: clientId, passcode, phone_number: '13800138000', templet_id: templetId, contents: [contents] });
  return `curl -s ${publicUrl}/api/sms/v1/sendsms -d '${body.replaceAll("'", "'\\''")}'`;
}

export function ClientsPage({ publicUrl }: { publicUrl: string }) {
  const { clients, templates, error, busy, change } = useCatalog();
  const [shown, setShown] = useState<Shown | null>(null);
  const [newId, setNewId] = useState('');

  const passcodeShown = (clientId: string, passcode: string) =>
    setShown({ clientId, what: 'passcode', value: passcode, curl: sendCurl(publicUrl, clientId, passcode, templates ?? []) });

  const add = (event: Event) => {
    event.preventDefault();
    void change(async () => {
      const created = await api.addClient(newId.trim());
      setNewId('');
      passcodeShown(created.client_id, created.passcode);
    });
  };

  return (
    <>
      <PageHeader title="Clients" />
      <form class="card inline-form" onSubmit={add} aria-label="Add a client">
        <div class="field grow">
          <label for="new-client">New client ID</label>
          <input
            id="new-client"
            placeholder="shop_server_01"
            value={newId}
            onInput={(e) => setNewId(e.currentTarget.value)}
            pattern="[A-Za-z0-9_.:\-]+"
            required
          />
        </div>
        <button type="submit" class="button primary" disabled={busy || newId.trim() === ''}>
          Add client
        </button>
      </form>
      {error !== null && <Alert>{error}</Alert>}
      {shown !== null && <SecretPanel shown={shown} onDone={() => setShown(null)} />}
      <div class="card flush">
        {clients === null ? (
          <Empty>Loading…</Empty>
        ) : clients.length === 0 ? (
          <Empty>No clients yet.</Empty>
        ) : (
          <ul class="rows" aria-label="Clients">
            {clients.map((client) => (
              <ClientRow
                key={client.client_id}
                client={client}
                busy={busy}
                onToggle={() => void change(async () => void (await api.patchClient(client.client_id, { enabled: !client.enabled })))}
                onRotate={() => {
                  if (!confirm(`Rotate the passcode of ${client.client_id}? The current one stops working at once.`)) return;
                  void change(async () => {
                    const rotated = await api.rotate(client.client_id);
                    passcodeShown(rotated.client_id, rotated.passcode);
                  });
                }}
                onCallback={(url, events) =>
                  change(async () => {
                    const patched = await api.patchClient(client.client_id, url === null ? { callback_url: null } : { callback_url: url, callback_events: events });
                    if (patched.callback_secret !== undefined) {
                      setShown({ clientId: client.client_id, what: 'callback secret', value: patched.callback_secret });
                    }
                  })
                }
              />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function SecretPanel({ shown, onDone }: { shown: Shown; onDone: () => void }) {
  return (
    <section class="card secret" aria-label={`New ${shown.what} for ${shown.clientId}`}>
      <h2>
        {shown.what === 'passcode' ? 'Passcode' : 'Callback signing secret'} for <span class="mono">{shown.clientId}</span>
      </h2>
      <p class="muted">Shown this once: the gateway keeps only its hash. Copy it now.</p>
      <div class="secret-value">
        <label for="secret-value" class="sr-only">
          {shown.what}
        </label>
        <input id="secret-value" class="mono" readOnly value={shown.value} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={shown.value} label={`Copy the ${shown.what}`} />
      </div>
      {shown.curl !== undefined && (
        <>
          <h3>Send a message with it</h3>
          <div class="code-block">
            <pre aria-label="curl command">
              <code>{shown.curl}</code>
            </pre>
            <CopyButton text={shown.curl} label="Copy the curl command" />
          </div>
        </>
      )}
      <button type="button" class="button ghost" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}

interface RowProps {
  client: Client;
  busy: boolean;
  onToggle: () => void;
  onRotate: () => void;
  onCallback: (url: string | null, events: 'all' | 'final') => Promise<boolean>;
}

function ClientRow({ client, busy, onToggle, onRotate, onCallback }: RowProps) {
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(client.callback_url ?? '');
  const [events, setEvents] = useState<'all' | 'final'>(client.events ?? 'all');
  const id = client.client_id.replace(/[^A-Za-z0-9_-]/g, '_');

  const save = (event: Event) => {
    event.preventDefault();
    void onCallback(url.trim() === '' ? null : url.trim(), events).then((done) => done && setEditing(false));
  };

  return (
    <li class="row" aria-label={client.client_id}>
      <div class="row-main">
        <div class="row-title">
          <span class="mono strong">{client.client_id}</span>
          <span class={`badge ${client.enabled ? 'ok' : 'off'}`}>{client.enabled ? 'enabled' : 'disabled'}</span>
        </div>
        <div class="muted small">
          created {dateTime(client.created_at)} ·{' '}
          {client.callback_url === null ? 'no callbacks' : `callbacks (${client.events ?? 'all'}) to ${client.callback_url}`} ·{' '}
          <a href={href('/messages', new URLSearchParams({ client_id: client.client_id }))}>messages</a>
        </div>
      </div>
      <div class="row-actions">
        <button type="button" class="button small" disabled={busy} onClick={onToggle}>
          {client.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" class="button small" disabled={busy} onClick={onRotate}>
          Rotate passcode
        </button>
        <button type="button" class="button small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Callback URL
        </button>
      </div>
      {editing && (
        <form class="callback-form" onSubmit={save} aria-label={`Callback URL of ${client.client_id}`}>
          <div class="field grow">
            <label for={`cb-${id}`}>Callback URL (empty: none)</label>
            <input id={`cb-${id}`} type="url" placeholder="https://shop.example/sms-status" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`ev-${id}`}>Send</label>
            <select id={`ev-${id}`} value={events} onChange={(e) => setEvents(e.currentTarget.value as 'all' | 'final')}>
              <option value="all">every change</option>
              <option value="final">final status only</option>
            </select>
          </div>
          <button type="submit" class="button primary" disabled={busy}>
            Save
          </button>
        </form>
      )}
    </li>
  );
}
