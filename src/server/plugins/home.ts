import type { FastifyInstance } from 'fastify';

const KEY_HINT = 'Send Authorization: Bearer <key>. Get an admin key with `npx afin keys create --scope admin` (or set AFIN_ADMIN_KEY).';

/** The pages a newcomer can open, among those this server serves (the dashboard only once it exists). */
function links(app: FastifyInstance): Array<{ rel: string; href: string; what: string }> {
  const all = [
    { rel: 'docs', href: '/docs', what: 'the API reference, to try each route' },
    { rel: 'dashboard', href: '/dashboard', what: 'the dashboard' },
    { rel: 'demo', href: '/demo', what: 'the demo store (after `npx afin demo`)' },
    { rel: 'openapi', href: '/openapi.json', what: 'the OpenAPI document' },
    { rel: 'health', href: '/health', what: 'liveness' },
  ];
  return all.filter((l) => app.hasRoute({ method: 'GET', url: l.href }));
}

/**
 * `GET /`: where to go next, with no key — a browser gets a page of links, anything else JSON. It
 * names nothing about the data, so it tells an anonymous caller no more than /openapi.json does.
 */
export async function homeRoute(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { access: 'none' }, schema: { hide: true } }, async (req, reply) => {
    const ls = links(app);
    if ((req.headers.accept ?? '').includes('text/html')) {
      const items = ls.map((l) => `<li><a href="${l.href}">${l.href}</a> — ${l.what}</li>`).join('\n');
      return reply
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Afín</title></head><body><h1>Afín</h1>
<p>A self-hosted AI personalization engine.</p><ul>
${items}
</ul><p>${KEY_HINT.replace(/`([^`]+)`/g, '<code>$1</code>').replace('<key>', '&lt;key&gt;')}</p></body></html>`);
    }
    return { name: 'Afín', links: Object.fromEntries(ls.map((l) => [l.rel, l.href])), keys: KEY_HINT };
  });
}
