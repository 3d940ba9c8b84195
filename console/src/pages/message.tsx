import { useEffect, useState } from 'preact/hooks';
import { isGsm7 } from '../../../src/domain/sms-encoding.js';
import { api, ApiError, errorText, isFinal, type MessageDetail } from '../api.js';
import { Alert, CopyButton, Empty, PageHeader, StatusBadge } from '../components/bits.js';
import { dateTime, elapsed, statusLabel } from '../format.js';
import { href } from '../router.js';

const REFRESH_MS = 1000;

type CallbackEvent = MessageDetail['callbacks'][number];
const CALLBACK_BADGE: Record<CallbackEvent['state'], string> = { delivered: 'ok', owed: 'wait', dead: 'bad' };

/** The time that matters in each state: acknowledged, next try, or died. */
function callbackTime(event: CallbackEvent): string | null {
  if (event.state === 'delivered') return event.delivered_at;
  return event.state === 'dead' ? event.died_at : event.next_attempt_at;
}

/** One message; re-read each second until its status is final. */
export function MessagePage({ smsUid }: { smsUid: string }) {
  const [message, setMessage] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setMessage(null);
    setError(null);
    const load = async () => {
      try {
        const next = await api.message(smsUid);
        if (stopped) return;
        setMessage(next);
        setError(null);
        if (!isFinal(next.status)) timer = setTimeout(() => void load(), REFRESH_MS);
      } catch (failure) {
        if (stopped) return;
        setError(failure instanceof ApiError && failure.status === 404 ? `No message ${smsUid} (or retention deleted it).` : errorText(failure));
        if (!(failure instanceof ApiError) || failure.status >= 500 || failure.status === 0) timer = setTimeout(() => void load(), REFRESH_MS * 3);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [smsUid]);

  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href('/messages')}>Messages</a> <span aria-hidden="true">/</span> <span class="mono">{smsUid}</span>
      </nav>
      <PageHeader title={message === null ? 'Message' : `Message to ${message.phone_number}`}>
        {message !== null && <StatusBadge status={message.status} />}
        {message !== null && !isFinal(message.status) && <span class="pulse">refreshing</span>}
      </PageHeader>
      {error !== null && <Alert>{error}</Alert>}
      {message === null ? error === null && <Empty>Loading…</Empty> : <Detail message={message} />}
    </>
  );
}

function Detail({ message }: { message: MessageDetail }) {
  const encoding = message.encoding ?? (isGsm7(message.text) ? 'GSM-7' : 'UCS-2');
  const first = message.history[0]?.at ?? null;
  return (
    <div class="detail-grid">
      <section class="card" aria-labelledby="text-heading">
        <h2 id="text-heading">Text</h2>
        <blockquote class="sms-text">{message.text}</blockquote>
        <p class="muted small">
          {encoding} · {[...message.text].length} characters · {message.part_count} {message.part_count === 1 ? 'part' : 'parts'}
        </p>
        <dl class="facts">
          <dt>sms_uid</dt>
          <dd class="mono">
            {message.sms_uid} <CopyButton text={message.sms_uid} label="Copy sms_uid" />
          </dd>
          <dt>Client</dt>
          <dd>
            <a href={href('/messages', new URLSearchParams({ client_id: message.client_id }))}>{message.client_id}</a>
          </dd>
          <dt>Template</dt>
          <dd>{message.templet_id}</dd>
          <dt>Number</dt>
          <dd class="mono">
            <a href={href('/messages', new URLSearchParams({ phone_number: message.phone_number }))}>{message.phone_number}</a>
          </dd>
          <dt>Error code</dt>
          <dd class="mono">{message.error_code}</dd>
          <dt>Send attempts</dt>
          <dd>{message.attempts}</dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline">
          {message.history.map((step) => (
            <li key={step.status} class={`step ${step.status === 'delivered' ? 'ok' : step.status.startsWith('error') ? 'bad' : ''}`}>
              <span class="step-status">{statusLabel(step.status)}</span>
              <time dateTime={step.at}>{dateTime(step.at)}</time>
              {first !== null && step.at !== first && <span class="muted small">{elapsed(first, step.at)}</span>}
            </li>
          ))}
          {!isFinal(message.status) && (
            <li class="step pending">
              <span class="step-status">waiting for {message.status === 'queuing' ? 'the carrier' : 'the receipt'}…</span>
            </li>
          )}
        </ol>
      </section>

      <section class="card wide" aria-labelledby="parts-heading">
        <h2 id="parts-heading">Parts</h2>
        {message.parts.length === 0 ? (
          <Empty>Not sent to a carrier yet.</Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Part</th>
                <th scope="col">Encoding</th>
                <th scope="col">Carrier id</th>
                <th scope="col">Connection</th>
                <th scope="col">Status</th>
                <th scope="col">Error code</th>
              </tr>
            </thead>
            <tbody>
              {message.parts.map((part) => (
                <tr key={part.part_no}>
                  <td data-label="Part">
                    {part.part_no} of {message.part_count}
                  </td>
                  <td data-label="Encoding">{encoding}</td>
                  <td data-label="Carrier id" class="mono">
                    {part.carrier_message_id}
                  </td>
                  <td data-label="Connection">{part.connection ?? '–'}</td>
                  <td data-label="Status">
                    <StatusBadge status={part.status} />
                  </td>
                  <td data-label="Error code" class="mono">
                    {part.error_code}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card wide" aria-labelledby="callbacks-heading">
        <h2 id="callbacks-heading">Callbacks</h2>
        {message.callbacks.length === 0 ? (
          <Empty>None: its client had no callback URL, or hears none of its status changes so far.</Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Status sent</th>
                <th scope="col">State</th>
                <th scope="col">Tries</th>
                <th scope="col">Last error</th>
                <th scope="col">Delivered / next try / died</th>
              </tr>
            </thead>
            <tbody>
              {message.callbacks.map((event) => (
                <tr key={event.event_id}>
                  <td data-label="Status sent">{statusLabel(event.status)}</td>
                  <td data-label="State">
                    <span class={`badge ${CALLBACK_BADGE[event.state]}`}>{event.state}</span>
                  </td>
                  <td data-label="Tries">{event.attempts}</td>
                  <td data-label="Last error">{event.last_error ?? '–'}</td>
                  <td data-label="Delivered / next try / died">{dateTime(callbackTime(event))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
