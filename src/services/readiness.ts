import type { BindState } from '../carrier/smpp/bind-state.js';

/** One dependency's answer: fine, or the reason it is not. */
export type PartCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** A bind as /readyz reports it: `since` as an ISO time. */
export interface BindReport {
  readonly connection: string;
  readonly bind: string;
  readonly status: BindState['status'];
  readonly reason?: string;
  readonly since: string;
}

export interface BindsCheck {
  readonly ok: boolean;
  readonly up: number;
  readonly binds: readonly BindReport[];
}

/** The API workers of SMSGATE_HTTP_WORKERS: how many answered ready, of how many running. */
export interface WorkersCheck {
  readonly ok: boolean;
  readonly ready: number;
  readonly of: number;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: { readonly store: PartCheck; readonly redis?: PartCheck; readonly binds?: BindsCheck; readonly workers?: WorkersCheck };
}

/** What a process asks before saying it is ready; absent parts are not this process's. */
export interface ReadinessProbes {
  /** A cheap read of the store. */
  readonly store: () => Promise<unknown>;
  /** Redis, where this process uses it. */
  readonly redis?: () => Promise<unknown>;
  /** The binds of a dispatching process. */
  readonly binds?: () => Promise<readonly BindState[]> | readonly BindState[];
  /** How long a probe may take before it counts as down (default 2 s). */
  readonly timeoutMs?: number;
}

/**
 * Ready: the store answers, Redis answers where used, and a dispatching process has at least
 * one bind up. Otherwise the answer names the part that is down, and for binds each one's
 * status, the SMSC's refusal (ESME_RINVPASWD) and since when.
 */
export async function checkReadiness(probes: ReadinessProbes): Promise<Readiness> {
  const timeoutMs = probes.timeoutMs ?? 2_000;
  const [store, redis, binds] = await Promise.all([
    probe(probes.store, timeoutMs),
    probes.redis ? probe(probes.redis, timeoutMs) : undefined,
    probes.binds ? bindsCheck(probes.binds, timeoutMs) : undefined,
  ]);
  const ready = store.ok && (redis?.ok ?? true) && (binds?.ok ?? true);
  return { ready, checks: { store, ...(redis ? { redis } : {}), ...(binds ? { binds } : {}) } };
}

async function probe(ask: () => Promise<unknown>, timeoutMs: number): Promise<PartCheck> {
  try {
    await withTimeout(ask(), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function bindsCheck(read: NonNullable<ReadinessProbes['binds']>, timeoutMs: number): Promise<BindsCheck> {
  let states: readonly BindState[];
  try {
    states = await withTimeout(Promise.resolve(read()), timeoutMs);
  } catch {
    states = [];
  }
  const binds = states.map(({ connection, bind, status, reason, since }) => ({
    connection,
    bind,
    status,
    ...(reason === undefined ? {} : { reason }),
    since: new Date(since).toISOString(),
  }));
  const up = states.filter((state) => state.status === 'bound').length;
  return { ok: up > 0, up, binds };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One gateway of SMSGATE_HTTP_WORKERS: the primary's own answer (its store, and its dispatcher's
 * binds; undefined without a dispatcher) and each worker's (undefined: it did not answer). The
 * store and Redis are shared, so the first part that finds one down names it; the gateway serves
 * while at least one worker is ready.
 */
export function fleetReadiness(own: Readiness | undefined, workers: readonly (Readiness | undefined)[]): Readiness {
  const answered = [own, ...workers].filter((r): r is Readiness => r !== undefined);
  const firstDown = (pick: (r: Readiness) => PartCheck | undefined): PartCheck | undefined => {
    const checks = answered.map(pick).filter((c): c is PartCheck => c !== undefined);
    return checks.find((c) => !c.ok) ?? checks[0];
  };
  const ready = workers.filter((r) => r?.ready === true).length;
  const store = firstDown((r) => r.checks.store) ?? { ok: false, error: 'no part of the gateway answered' };
  const redis = firstDown((r) => r.checks.redis);
  const binds = own?.checks.binds;
  const workersCheck: WorkersCheck = { ok: ready > 0, ready, of: workers.length };
  return {
    ready: store.ok && (redis?.ok ?? true) && (binds?.ok ?? true) && workersCheck.ok,
    checks: { store, ...(redis ? { redis } : {}), ...(binds ? { binds } : {}), workers: workersCheck },
  };
}
