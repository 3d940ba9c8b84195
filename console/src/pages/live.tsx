import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, type Live as Snapshot } from '../api.js';
import { Alert, Empty, PageHeader } from '../components/bits.js';
import { Chart } from '../components/chart.js';
import { ago, count, millis, rate, time } from '../format.js';
import { RateHistory, ratesBetween, type Rates } from '../live-rates.js';
import { href } from '../router.js';

const KEEP_SECONDS = 300;
const POLL_MS = 1000;

/** Polls GET /admin/v1/live each second while the page is open, and charts the rates between snapshots. */
function useLive() {
  const history = useRef(new RateHistory(KEEP_SECONDS));
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [rates, setRates] = useState<Rates | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let previous: Snapshot | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      // A tab in the background asks nothing: no cost to the gateway while nobody looks. The
      // next look starts from a fresh snapshot rather than averaging over the gap.
      if (document.hidden) {
        previous = null;
        timer = setTimeout(() => void tick(), POLL_MS);
        return;
      }
      try {
        const next = await api.live();
        if (stopped) return;
        if (previous !== null) {
          const between = ratesBetween(previous, next);
          if (between !== null) {
            history.current.push(between);
            setRates(between);
          }
        }
        previous = next;
        setSnapshot(next);
        setError(null);
      } catch (failure) {
        if (!stopped) setError(errorText(failure));
      }
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return { snapshot, rates, error, history: history.current };
}

export function LivePage() {
  const { snapshot, rates, error, history } = useLive();
  const binds = snapshot?.binds ?? [];
  const up = binds.filter((b) => b.up).length;

  return (
    <>
      <PageHeader title="Live">
        <span class="pulse" aria-hidden={snapshot === null}>
          {snapshot === null ? 'connecting…' : `updated ${time(snapshot.at)}`}
        </span>
      </PageHeader>
      {error !== null && <Alert>Live data unavailable: {error}</Alert>}
      {snapshot?.metrics_enabled === false && (
        <Alert tone="info">
          Metrics are off on this gateway (<code>SMSGATE_METRICS=off</code>): no rates or latency, only the queue, binds and errors.
        </Alert>
      )}

      <section class="tiles" aria-label="Now">
        <Tile label="Accepted / s" value={rates === null ? '–' : rate(rates.accepted)} sub={snapshot && `${count(snapshot.accepted_total)} total`} />
        <Tile label="Delivered / s" value={rates === null ? '–' : rate(rates.delivered)} sub={snapshot && `${count(snapshot.delivered_total)} total`} />
        <Tile
          label="Errors / s"
          value={rates === null ? '–' : rate(rates.errors)}
          sub={snapshot && `${count(snapshot.errors_total)} total · ${count(snapshot.rejected_total)} refused`}
          tone={rates !== null && rates.errors > 0 ? 'bad' : undefined}
        />
        <Tile label="Accept p99" value={rates === null ? '–' : millis(rates.p99Ms)} sub="last second" />
        <Tile label="Queuing" value={snapshot === null ? '–' : count(snapshot.queue.queuing)} sub="to be sent" />
        <Tile label="Awaiting receipt" value={snapshot === null ? '–' : count(snapshot.queue.awaiting_receipt)} sub="sent, no final status yet" />
      </section>

      <section class="charts">
        <div class="card">
          <Chart
            title="Messages per second"
            x={history.t}
            format={(v) => (v === null ? '–' : rate(v))}
            series={[
              { key: 'accepted', label: 'Accepted', colorVar: '--series-1', values: history.accepted },
              { key: 'delivered', label: 'Delivered', colorVar: '--series-2', values: history.delivered },
              { key: 'errors', label: 'Errors', colorVar: '--series-3', values: history.errors },
            ]}
          />
        </div>
        <div class="card">
          <Chart
            title="Accept latency p99"
            x={history.t}
            format={millis}
            series={[{ key: 'p99', label: 'p99', colorVar: '--series-4', values: history.p99Ms }]}
          />
        </div>
      </section>

      <section class="split">
        <div class="card">
          <h2>
            Carrier binds{' '}
            {binds.length > 0 && (
              <span class={`badge ${up === binds.length ? 'ok' : 'bad'}`}>
                {up} of {binds.length} up
              </span>
            )}
          </h2>
          {binds.length === 0 ? (
            <Empty>No carrier connections configured.</Empty>
          ) : (
            <ul class="binds">
              {binds.map((bind) => (
                <li key={`${bind.connection}/${bind.bind ?? ''}`}>
                  <span class={`dot ${bind.up ? 'ok' : 'bad'}`} aria-hidden="true" />
                  <span class="bind-name">{bind.connection}</span>
                  {bind.bind !== undefined && <span class="muted small">{bind.bind}</span>}
                  <span class={`badge ${bind.up ? 'ok' : 'bad'}`}>{bind.up ? 'up' : (bind.status ?? 'down')}</span>
                  <span class="muted small">
                    {bind.since !== null && `since ${ago(bind.since)}`}
                    {bind.reason !== null && bind.reason !== '' && ` · ${bind.reason}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div class="card">
          <h2>Last errors</h2>
          {snapshot === null || snapshot.recent_errors.length === 0 ? (
            <Empty>No errors lately.</Empty>
          ) : (
            <ul class="errors">
              {snapshot.recent_errors.map((e, i) => (
                <li key={`${e.at}-${i}`}>
                  <span class="muted small">{time(e.at)}</span>
                  <span class={`badge ${e.kind === 'bind' ? 'wait' : 'bad'}`}>{e.kind === 'bind' ? 'bind' : (e.status ?? 'message')}</span>
                  <span class="error-detail">
                    {e.sms_uid !== undefined ? <a href={href(`/messages/${e.sms_uid}`)}>{e.detail}</a> : e.detail}
                    <span class="muted small">
                      {[e.connection, e.client_id].filter((part) => part !== undefined && part !== null).join(' · ')}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </>
  );
}

function Tile({ label, value, sub, tone }: { label: string; value: string; sub?: string | null; tone?: 'bad' }) {
  return (
    <div class={`card tile ${tone ?? ''}`}>
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      <div class="tile-sub">{sub ?? '\u00a0'}</div>
    </div>
  );
}
