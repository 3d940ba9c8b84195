import { useEffect, useState } from 'preact/hooks';
import { api, errorText, STATUSES, type Message } from '../api.js';
import { Alert, Empty, PageHeader, StatusBadge } from '../components/bits.js';
import { dateTime, statusLabel } from '../format.js';
import { href, navigate, type Route } from '../router.js';

const FILTERS = ['phone_number', 'client_id', 'status', 'since', 'until'] as const;
const PAGE_SIZE = '50';

/** datetime-local values are local time; the API takes ISO 8601 (UTC). */
const toIso = (local: string): string => (local === '' ? '' : new Date(local).toISOString());
function toLocal(iso: string | null): string {
  if (iso === null || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function MessagesPage({ route }: { route: Route }) {
  const query = route.query;
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const key = query.toString();

  const load = async (after: string | null) => {
    setLoading(true);
    setError(null);
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = query.get(name);
      if (value !== null && value !== '') params.set(name, value);
    }
    params.set('limit', PAGE_SIZE);
    if (after !== null) params.set('cursor', after);
    try {
      const page = await api.messages(params);
      setMessages((before) => (after === null ? page.messages : [...(before ?? []), ...page.messages]));
      setCursor(page.next_cursor);
    } catch (failure) {
      setError(errorText(failure));
      if (after === null) setMessages([]);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    setMessages(null);
    void load(null);
  }, [key]);

  return (
    <>
      <PageHeader title="Messages" />
      <SearchForm query={query} />
      {error !== null && <Alert>{error}</Alert>}
      <div class="card flush">
        {messages === null ? (
          <Empty>Loading…</Empty>
        ) : messages.length === 0 ? (
          <Empty>No messages match.</Empty>
        ) : (
          <table class="table messages-table">
            <caption class="sr-only">Messages, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Accepted</th>
                <th scope="col">Number</th>
                <th scope="col">Client</th>
                <th scope="col" class="hide-phone">Template</th>
                <th scope="col">Status</th>
                <th scope="col" class="hide-phone">Parts</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.sms_uid}>
                  <td data-label="Accepted">
                    <a href={href(`/messages/${m.sms_uid}`)} aria-label={`Message to ${m.phone_number} at ${dateTime(m.queued_at)}`}>
                      {dateTime(m.queued_at)}
                    </a>
                  </td>
                  <td data-label="Number" class="mono">
                    {m.phone_number}
                  </td>
                  <td data-label="Client">{m.client_id}</td>
                  <td data-label="Template" class="hide-phone">{m.templet_id}</td>
                  <td data-label="Status">
                    <StatusBadge status={m.status} />
                  </td>
                  <td data-label="Parts" class="hide-phone">{m.part_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {cursor !== null && (
        <div class="more">
          <button type="button" class="button" disabled={loading} onClick={() => void load(cursor)}>
            {loading ? 'Loading…' : 'Show older messages'}
          </button>
        </div>
      )}
    </>
  );
}

function SearchForm({ query }: { query: URLSearchParams }) {
  const [phone, setPhone] = useState(query.get('phone_number') ?? '');
  const [smsUid, setSmsUid] = useState('');
  const [client, setClient] = useState(query.get('client_id') ?? '');
  const [status, setStatus] = useState(query.get('status') ?? '');
  const [since, setSince] = useState(toLocal(query.get('since')));
  const [until, setUntil] = useState(toLocal(query.get('until')));
  const [clients, setClients] = useState<string[]>([]);

  useEffect(() => {
    api.clients().then(
      (list) => setClients(list.clients.map((c) => c.client_id)),
      () => setClients([]),
    );
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    // An sms_uid names one message: straight to its page.
    if (smsUid.trim() !== '') {
      navigate(`/messages/${smsUid.trim()}`);
      return;
    }
    const next = new URLSearchParams();
    const set = (name: string, value: string) => value.trim() !== '' && next.set(name, value.trim());
    set('phone_number', phone);
    set('client_id', client);
    set('status', status);
    set('since', toIso(since));
    set('until', toIso(until));
    navigate('/messages', next);
  };
  const clear = () => {
    setPhone('');
    setSmsUid('');
    setClient('');
    setStatus('');
    setSince('');
    setUntil('');
    navigate('/messages');
  };

  return (
    <form class="card search" role="search" aria-label="Find messages" onSubmit={submit}>
      <div class="field full">
        <label for="q-phone">Phone number</label>
        <input id="q-phone" type="search" inputMode="tel" placeholder="13800138000 or +86…" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
      </div>
      <div class="field full">
        <label for="q-uid">sms_uid</label>
        <input id="q-uid" type="search" class="mono" placeholder="0193a5c2-…" value={smsUid} onInput={(e) => setSmsUid(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="q-client">Client</label>
        <select id="q-client" value={client} onChange={(e) => setClient(e.currentTarget.value)}>
          <option value="">Any client</option>
          {[...new Set([...clients, ...(client === '' ? [] : [client])])].map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q-status">Status</label>
        <select id="q-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q-since">From</label>
        <input id="q-since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="q-until">Until</label>
        <input id="q-until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
      </div>
      <div class="search-actions">
        <button type="submit" class="button primary">
          Search
        </button>
        <button type="button" class="button ghost" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
