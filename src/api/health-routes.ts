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

/** No token needed (an empty requirement), unless SMSGATE_METRICS_TOKEN_REQUIRED=true. */
const OPEN: { tags: string[]; security: Record<string, string[]>[] } = { tags: ['health'], security: [{}, { adminToken: [] }, { consoleSession: [] }] };

/**
 * /healthz (the process answers), /readyz (its store, Redis and binds answer: 200, or 503 naming
 * the part that is down) and /metrics (Prometheus text). None of them reveals message data.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness, metrics }) => {
  app.get('/healthz', { schema: { ...OPEN, summary: 'Liveness: the process answers', response: { 200: { type: 'object', properties: { status: { type: 'string', const: 'alive' } } } } } }, async () => ({
    status: 'alive',
  }));
  const checks = { type: 'object', additionalProperties: true };
  const readyz = {
    ...OPEN,
    summary: 'Readiness: the store, Redis (where used) and, for a dispatcher, at least one bind',
    description: 'Each part is named with `ok`; a bind with its status, the SMSC refusal (ESME_RINVPASWD) and since when. See docs/monitoring.md.',
    response: { 200: { ...checks, description: 'ready' }, 503: { ...checks, description: 'a part is down: the body says which' } },
  };
  app.get('/readyz', { schema: readyz }, async (_request, reply) => {
    const { ready, checks } = await readiness();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', ...checks };
  });
  if (metrics) {
    const schema = { ...OPEN, summary: 'Prometheus metrics (text format)', description: 'Every metric is described in docs/monitoring.md.' };
    app.get('/metrics', { schema }, async (_request, reply) => {
      const { text, contentType } = await metrics();
      void reply.header('content-type', contentType);
      return text;
    });
  }
};
