/**
 * A route table: each route is listed once with its method, path template and handler, and the
 * same table answers "which route" (with its parameters), "wrong method" (405) and "no such path"
 * (404). Templates: `:name` is one path segment, a final `*` is the rest of the path.
 */

export interface Route {
  /** 'GET', 'POST', 'DELETE', ... or '*' for any. */
  method: string;
  path: string;
}

export type RouteMatch<R extends Route> = { kind: 'found'; route: R; params: string[] } | { kind: 'wrong_method' } | { kind: 'none' };

export interface RouteTable<R extends Route> {
  readonly routes: readonly R[];
  match(method: string, rawPath: string): RouteMatch<R>;
}

/** "METHOD /path/template", e.g. the key the API counts calls under. */
export const routeKey = (route: Route): string => `${route.method} ${route.path}`;

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function compile(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return '([^/]+)';
      if (segment === '*') return '(.*)';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

export function routeTable<R extends Route>(routes: readonly R[]): RouteTable<R> {
  const compiled = routes.map((route) => ({ route, pattern: compile(route.path) }));
  return {
    routes,
    match(method, rawPath) {
      let pathKnown = false;
      for (const { route, pattern } of compiled) {
        const m = pattern.exec(rawPath);
        if (!m) continue;
        if (route.method === '*' || route.method === method) return { kind: 'found', route, params: m.slice(1).map(decodeSegment) };
        pathKnown = true;
      }
      return pathKnown ? { kind: 'wrong_method' } : { kind: 'none' };
    },
  };
}
