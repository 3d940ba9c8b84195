import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export interface OpenApiOptions {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** Security schemes and the security every operation needs unless it says otherwise. */
  readonly security?: {
    readonly schemes: Record<
      string,
      { type: 'http'; scheme: 'bearer'; description: string } | { type: 'apiKey'; in: 'cookie'; name: string; description: string }
    >;
    readonly required: Record<string, string[]>[];
  };
}

/**
 * The OpenAPI 3.1 document of the routes registered after this on `app`, generated from their
 * schemas: `GET /openapi.json`, and `GET /docs` rendering it with Swagger UI, its files served
 * from the package (no CDN). Registered before the routes, so that it hears each of them.
 */
export function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version },
      ...(options.security && { components: { securitySchemes: options.security.schemes }, security: options.security.required }),
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  void app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
}
