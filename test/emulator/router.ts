// Matches a path against the route templates. Literal segments win over
// `:id`, as in taiga-back's router where list actions are registered first.
import type { MethodHandlers, RouteTable } from './context.js';

interface CompiledRoute {
  regex: RegExp;
  paramNames: string[];
  literalCount: number;
  handlers: MethodHandlers;
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export class Router {
  private routes: CompiledRoute[] = [];

  add(table: RouteTable): void {
    for (const [template, handlers] of table) {
      const paramNames: string[] = [];
      const segments = template.split('/').filter(Boolean);
      const source = segments
        .map((seg) => {
          if (seg.startsWith(':')) {
            paramNames.push(seg.slice(1));
            return '/([^/.]+)';
          }
          return '/' + seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      this.routes.push({
        regex: new RegExp(`^${source || '/'}$`),
        paramNames,
        literalCount: segments.length - paramNames.length,
        handlers,
      });
    }
    // Most specific first.
    this.routes.sort((a, b) => b.literalCount - a.literalCount);
  }

  match(path: string): { handlers: MethodHandlers; params: Record<string, string>; allow: string } | null {
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { handlers: route.handlers, params, allow: allowHeader(route.handlers) };
    }
    return null;
  }
}

function allowHeader(handlers: MethodHandlers): string {
  const methods: string[] = METHOD_ORDER.filter((m) => handlers[m]);
  if (handlers.GET) methods.push('HEAD');
  methods.push('OPTIONS');
  return methods.join(', ');
}
