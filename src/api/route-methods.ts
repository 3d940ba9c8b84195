import type { FastifyInstance } from 'fastify';

/**
 * The methods each path has a route for, learnt as routes are registered (onRoute runs once per
 * route, never per request), so that any route group gets a 405 with `Allow` for the others.
 * Paths are matched exactly: a parametric route (`/x/:id`) is not looked up here.
 */
export function recordRouteMethods(app: FastifyInstance): (path: string) => string | undefined {
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByPath.set(route.url, methods);
  });
  return (path) => {
    const methods = methodsByPath.get(path);
    return methods ? [...methods].sort().join(', ') : undefined;
  };
}
