import type { Logger } from 'pino';

/**
 * A log line for an event an attacker can repeat at will: the first at once, then at most one a
 * second saying how many happened, so that an attack is seen without flooding the log.
 */
export function throttledLog(logger: Logger, level: 'warn' | 'info', describe: (count: number) => [object, string]): () => void {
  let pending = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (pending === 0) return;
    const [fields, message] = describe(pending);
    logger[level](fields, message);
    pending = 0;
    timer = setTimeout(flush, 1000).unref();
  };
  return () => {
    pending += 1;
    if (timer === undefined) flush();
  };
}
