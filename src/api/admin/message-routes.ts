import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MessageLookupService } from '../../services/message-lookup-service.js';
import { messageDetailView, messageView, statsView } from '../../services/operator-views.js';
import { ADMIN_ERRORS, MessageDetail, MessagePage, MessageQuery, SmsUidParams, Stats, StatsQuery } from './admin-schemas.js';

/** Messages and counts: the MessageLookupService's operations. */
export const messageRoutes: FastifyPluginAsyncTypebox<{ lookups: MessageLookupService }> = async (app, { lookups }) => {
  app.get(
    '/messages/:sms_uid',
    {
      schema: {
        tags: ['messages'],
        summary: 'One message: text, number, client, status, every status change with its time, its parts with carrier ids',
        params: SmsUidParams,
        response: { 200: MessageDetail, ...ADMIN_ERRORS },
      },
    },
    async (request) => messageDetailView(await lookups.message(request.params.sms_uid)),
  );

  app.get(
    '/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Messages newest first, by number, client, status and time, a page at a time (next_cursor)',
        querystring: MessageQuery,
        response: { 200: MessagePage, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await lookups.find({
        phoneNumber: q.phone_number,
        clientId: q.client_id,
        status: q.status,
        since: q.since,
        until: q.until,
        limit: q.limit,
        cursor: q.cursor,
      });
      return { messages: page.messages.map(messageView), next_cursor: page.nextCursor ?? null };
    },
  );

  app.get(
    '/stats',
    {
      schema: {
        tags: ['stats'],
        summary: 'Messages accepted in the last minute, hour or day by their status now, and the queue depth now',
        querystring: StatsQuery,
        response: { 200: Stats, ...ADMIN_ERRORS },
      },
    },
    async (request) => statsView(await lookups.stats(request.query.window ?? '1h')),
  );
};
