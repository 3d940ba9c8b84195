import { postJson } from '../support/cli.js';

export const SEND = '/api/sms/v1/sendsms';
export const QUERY = '/api/sms/v1/querysms';

/** Distinct valid CN mobile numbers. */
export function number(i: number): string {
  return `1380013${String(i % 10_000).padStart(4, '0')}`;
}

export interface Answer {
  readonly at: number;
  readonly status: number;
  readonly retryAfter: string | null;
  readonly smsUid: string | undefined;
  readonly body: unknown;
}

export interface SteadyLoad {
  readonly answers: Answer[];
  /** Network failures (no HTTP answer at all). */
  readonly failures: string[];
  stop(): Promise<void>;
}

/**
 * `loops` senders, each posting one send after another with a pause of `pauseMs`, recording every
 * answer with its time: a steady load under which a fault is injected.
 */
export function steadyLoad(url: string, clientId: string, passcode: string, loops: number, pauseMs = 5): SteadyLoad {
  const answers: Answer[] = [];
  const failures: string[] = [];
  let next = 0;
  let stopped = false;
  const runners = Array.from({ length: loops }, async () => {
    while (!stopped) {
      const i = next++;
      try {
        const answer = await postJson(`${url}${SEND}`, {
          client_id: clientId,
          passcode,
          phone_number: number(i),
          templet_id: 't1',
          contents: [{ code: String(i) }],
        });
        answers.push({
          at: Date.now(),
          status: answer.status,
          retryAfter: answer.headers.get('retry-after'),
          smsUid: answer.status === 200 ? (answer.json as { sms_uid: string }).sms_uid : undefined,
          body: answer.json,
        });
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    answers,
    failures,
    stop: async () => {
      stopped = true;
      await Promise.all(runners);
    },
  };
}

const FINAL = new Set(['delivered', 'error_rejected', 'error_undeliverable', 'error_expired', 'error_unknown']);

/** The sms_uids not at a final status within `timeoutMs`, with what they were at. */
export async function notFinal(url: string, clientId: string, passcode: string, uids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const waiting = new Map(uids.map((uid) => [uid, 'not asked']));
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    const batch = [...waiting.keys()].slice(0, 100);
    const answers = await Promise.all(batch.map((uid) => postJson(`${url}${QUERY}`, { client_id: clientId, passcode, sms_uid: uid })));
    answers.forEach((answer, i) => {
      const uid = batch[i]!;
      const status = (answer.json as { status?: string }).status;
      if (answer.status === 200 && status !== undefined && FINAL.has(status)) waiting.delete(uid);
      else waiting.set(uid, answer.status === 200 ? String(status) : `HTTP ${answer.status}`);
    });
    if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return waiting;
}

/** Counts of each HTTP status among `answers`. */
export function histogram(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
