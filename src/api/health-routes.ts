import type { FastifyPluginAsync } from 'fastify';
import type { Readiness } from '../services/readiness.js';

/** The text Prometheus scrapes and its content type. */
export interface Exposition {
  readonly text: string;
  readonly contentType: string;
}

export interface HealthRoutesOptions {
  readonly readiness: () => Promise<Readiness>;
  /** Absent when metrics are off (SMSGATE_METRICS=off): /metrics is then 404. */
  readonly metrics?: () => Promise<Exposition>;
}

/**
 * /healthz (the process answers), /readyz (its store, Redis and binds answer: 200, or 503 naming
 * the part that is down) and /metrics (Prometheus text). None of them reveals message data.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness, metrics }) => {
  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, checks } = await readiness();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', ...checks };
  });
  if (metrics) {
    app.get('/metrics', async (_request, reply) => {
      const { text, contentType } = await metrics();
      void reply.header('content-type', contentType);
      return text;
    });
  }
};
