import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/messages?phone_number=...): every page has an address to bookmark or share, and
 * the gateway serves one index.html without knowing the console's pages.
 */
export interface Route {
  readonly path: string;
  readonly query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/live';
  const [path = '/live', search = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(path: string, query?: URLSearchParams): string {
  const search = query?.toString() ?? '';
  return `#${path}${search === '' ? '' : `?${search}`}`;
}

export function navigate(path: string, query?: URLSearchParams): void {
  location.hash = href(path, query);
}
