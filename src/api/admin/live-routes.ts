import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LiveService } from '../../services/live-service.js';
import { liveView } from '../../services/operator-views.js';
import { ADMIN_ERRORS, Live } from './admin-schemas.js';

/** The console's live page: one snapshot per call, nothing kept between calls. */
export const liveRoutes: FastifyPluginAsyncTypebox<{ live: LiveService }> = async (app, { live }) => {
  app.get(
    '/live',
    {
      schema: {
        tags: ['stats'],
        summary: "This process's counters since start, the queue now, its binds and the latest errors: poll it and diff two answers for rates",
        description: 'Counters are those of the process that answers (docs/console-server.md): behind several API processes, each shows its own.',
        response: { 200: Live, ...ADMIN_ERRORS },
      },
    },
    async () => liveView(await live.snapshot()),
  );
};
