import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GatewayError } from '../../domain/errors.js';
import type { CatalogService } from '../../services/catalog-service.js';
import { clientView, previewView, templateView } from '../../services/operator-views.js';
import {
  ADMIN_ERRORS,
  ClientCredentials,
  ClientIdParams,
  ClientList,
  ClientPatchBody,
  PatchedClient,
  NewClientBody,
  NewTemplateBody,
  Preview,
  PreviewBody,
  Template,
  TemplateIdParams,
  TemplateList,
  TextPreviewBody,
} from './admin-schemas.js';
import { ErrorReply } from '../schemas.js';

export interface CatalogRoutesOptions {
  readonly catalog: CatalogService;
  /** Applies a change in this process's API at once rather than at its next poll. */
  readonly changed: () => Promise<void>;
}

/** Clients and templates: the CatalogService's operations, as the CLI has them. */
export const catalogRoutes: FastifyPluginAsyncTypebox<CatalogRoutesOptions> = async (app, { catalog, changed }) => {
  const clients = { tags: ['clients'] };
  const templates = { tags: ['templates'] };

  app.get('/clients', { schema: { ...clients, summary: 'List the clients', response: { 200: ClientList, ...ADMIN_ERRORS } } }, async () => ({
    clients: (await catalog.listClients()).map(clientView),
  }));

  app.post(
    '/clients',
    { schema: { ...clients, summary: 'Create a client; answers its passcode, this once', body: NewClientBody, response: { 201: ClientCredentials, 409: ErrorReply, ...ADMIN_ERRORS } } },
    async (request, reply) => {
      const added = await catalog.addClient(request.body.client_id);
      await changed();
      return reply.status(201).send({ client_id: added.clientId, passcode: added.passcode });
    },
  );

  app.post(
    '/clients/:id/rotate',
    { schema: { ...clients, summary: 'Give a client a new passcode (answered this once); the old one stops working', params: ClientIdParams, response: { 200: ClientCredentials, ...ADMIN_ERRORS } } },
    async (request) => {
      const rotated = await catalog.rotatePasscode(request.params.id);
      await changed();
      return { client_id: rotated.clientId, passcode: rotated.passcode };
    },
  );

  app.patch(
    '/clients/:id',
    {
      schema: {
        ...clients,
        summary: 'Enable or disable a client; set or clear its status callback URL',
        params: ClientIdParams,
        body: ClientPatchBody,
        response: { 200: PatchedClient, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { enabled, callback_url: url, callback_events: events } = request.body;
      // Checked before any change, so that a refused request changes nothing.
      const client = await catalog.client(id);
      if (events !== undefined && typeof url !== 'string') {
        throw new GatewayError('INVALID_REQUEST', 'callback_events goes with a callback_url');
      }
      let secret: string | undefined;
      if (typeof url === 'string') secret = (await catalog.setCallback(id, { url, ...(events !== undefined && { events }) })).callbackSecret;
      else if (url === null && client.callbackUrl !== null) await catalog.clearCallback(id);
      if (enabled !== undefined) await catalog.setClientEnabled(id, enabled);
      await changed();
      return { ...clientView(await catalog.client(id)), ...(secret !== undefined && { callback_secret: secret }) };
    },
  );

  app.get('/templates', { schema: { ...templates, summary: 'List the templates', response: { 200: TemplateList, ...ADMIN_ERRORS } } }, async () => ({
    templates: (await catalog.listTemplates()).map(templateView),
  }));

  app.post(
    '/templates',
    { schema: { ...templates, summary: 'Add a template', body: NewTemplateBody, response: { 201: Template, 409: ErrorReply, ...ADMIN_ERRORS } } },
    async (request, reply) => {
      const { templet_id, text, client_id } = request.body;
      const added = await catalog.addTemplate({ templetId: templet_id, body: text, clientId: client_id ?? null });
      await changed();
      return reply.status(201).send(templateView(added));
    },
  );

  app.delete(
    '/templates/:id',
    { schema: { ...templates, summary: 'Remove a template', params: TemplateIdParams, response: { 204: Type.Null({ description: 'removed' }), ...ADMIN_ERRORS } } },
    async (request, reply) => {
      await catalog.removeTemplate(request.params.id);
      await changed();
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/templates/preview',
    {
      schema: {
        ...templates,
        summary: 'Render a template text not saved yet with these contents: the text, its encoding and how many SMS parts it takes',
        body: TextPreviewBody,
        response: { 200: Preview, ...ADMIN_ERRORS },
      },
    },
    async (request) => previewView(catalog.previewText(request.body.text, request.body.contents)),
  );

  app.post(
    '/templates/:id/preview',
    {
      schema: {
        ...templates,
        summary: 'Render a template with these contents: the text, its encoding and how many SMS parts it takes',
        params: TemplateIdParams,
        body: PreviewBody,
        response: { 200: Preview, ...ADMIN_ERRORS },
      },
    },
    async (request) => previewView(await catalog.previewTemplate(request.params.id, request.body.contents)),
  );
};
