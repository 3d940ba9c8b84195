import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { CONSOLE_SESSION_MS } from '../../domain/console-session.js';
import { GatewayError } from '../../domain/errors.js';
import type { ConsoleSessions } from '../../services/console-sessions.js';
import { ErrorReply } from '../schemas.js';
import type { AdminRouteGroup } from './admin-server.js';
import { consoleCookieOf, consoleSetCookie } from './console-auth.js';

export interface ConsoleGroupOptions {
  readonly sessions: ConsoleSessions;
  /** The built front end (dist/console/ of the package): index.html and assets/. */
  readonly directory: string;
  /** SMSGATE_HOST and SMSGATE_PORT: where the public API listens, for the console's ready curl command. */
  readonly publicApi: { readonly host: string; readonly port: number };
}

/**
 * The public API's URL as a browser on the admin page would reach it. A wildcard listen address
 * (the default 0.0.0.0) says nothing of the host's name: the one the browser used for the admin
 * port is the best guess, the public port beside it.
 */
export function publicApiUrl(publicApi: ConsoleGroupOptions['publicApi'], adminHostname: string): string {
  const wildcard = publicApi.host === '0.0.0.0' || publicApi.host === '::' || publicApi.host === '';
  const host = wildcard ? adminHostname : publicApi.host;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${publicApi.port}`;
}

/** What a browser may do with the console's pages: nothing from elsewhere, not in a frame. */
const CONSOLE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Vite names these by their content hash: a changed file is a new name, so they may be kept. */
const ASSETS = '/console/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A path's last segment with a dot in it asks for a file; anything else is a page of the console. */
const FILE_NAME = /\.[^/]*$/;

/**
 * The web console on the admin listener: its files (no token: they hold no data; every page
 * path falls back to index.html, where the front end routes) and its login, which exchanges the
 * admin token for a session cookie (docs/console-server.md). Served whatever
 * SMSGATE_METRICS_TOKEN_REQUIRED says, since one must log in before having a cookie.
 */
export function consoleGroup(options: ConsoleGroupOptions): AdminRouteGroup {
  return { name: 'console', tokenExempt: 'always', routes: async (app) => app.register(consoleRoutes, options) };
}

const consoleRoutes: FastifyPluginAsyncTypebox<ConsoleGroupOptions> = async (app, { sessions, directory, publicApi }) => {
  // Only reply.sendFile (path checks, ranges, ETag): the routes are ours, for the fallback.
  await app.register(fastifyStatic, { serve: false, cacheControl: false, dotfiles: 'deny', index: false });
  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(CONSOLE_HEADERS);
  });
  app.addHook('onSend', async (request, reply) => {
    // After the listener's own no-store: a hashed asset found may be cached for good.
    if (reply.statusCode === 200 && request.url.startsWith(ASSETS)) void reply.header('cache-control', IMMUTABLE);
  });

  const page = (reply: FastifyReply) => {
    if (!existsSync(join(directory, 'index.html'))) {
      throw new GatewayError('CONSOLE_NOT_BUILT', 'the web console is not built in this copy of smsgate: run `npm run build`');
    }
    return reply.sendFile('index.html', directory);
  };
  app.get('/console', { schema: { hide: true } }, async (_request, reply) => page(reply));
  app.get('/console/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as Record<string, string>)['*'] ?? '';
    // `..` and dot files are nothing of the console's: not found (send() would refuse them too).
    if (path.split(/[/\\]/).some((segment) => segment.startsWith('.'))) return reply.callNotFound();
    return FILE_NAME.test(path) ? reply.sendFile(path, directory) : page(reply);
  });

  const tags = ['console'];
  // No token and no cookie needed to call these: they are how one gets (or drops) a cookie.
  const open: Record<string, string[]>[] = [];
  app.post(
    '/console/session',
    {
      schema: {
        tags,
        security: open,
        summary: 'Log in to the web console: the admin token for a session cookie (8 hours, HttpOnly, SameSite=Strict)',
        body: Type.Object({ token: Type.String({ description: 'the admin token' }) }),
        response: { 204: Type.Null({ description: 'logged in: Set-Cookie smsgate_console' }), 400: ErrorReply, 401: ErrorReply, '5xx': ErrorReply },
      },
    },
    async (request, reply) => {
      const login = await sessions.login(request.body.token);
      void reply.header('set-cookie', consoleSetCookie(login.value, CONSOLE_SESSION_MS / 1000, request.protocol === 'https'));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/console/session',
    {
      schema: {
        tags,
        security: open,
        summary: "Whether this browser's console cookie is a live session, and until when",
        response: {
          200: Type.Object({
            logged_in: Type.Literal(true),
            expires_at: Type.String({ format: 'date-time' }),
            public_url: Type.String({ description: 'the public API (sendsms) as seen from this browser: SMSGATE_HOST, or the admin host name, and SMSGATE_PORT' }),
          }),
          401: ErrorReply,
          '5xx': ErrorReply,
        },
      },
    },
    async (request) => {
      const session = await sessions.check(consoleCookieOf(request.headers.cookie));
      if (!session) throw new GatewayError('ADMIN_AUTH_FAILED', 'not logged in to the console (or the session has ended)');
      return {
        logged_in: true as const,
        expires_at: new Date(session.expiresAt).toISOString(),
        public_url: publicApiUrl(publicApi, request.hostname),
      };
    },
  );
  app.delete(
    '/console/session',
    {
      schema: {
        tags,
        security: open,
        summary: 'Log out: clears the cookie, and this process refuses it from now on',
        response: { 204: Type.Null({ description: 'logged out' }), '5xx': ErrorReply },
      },
    },
    async (request, reply) => {
      await sessions.logout(consoleCookieOf(request.headers.cookie));
      void reply.header('set-cookie', consoleSetCookie('', 0, request.protocol === 'https'));
      return reply.status(204).send(null);
    },
  );
};
