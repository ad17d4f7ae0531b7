/**
 * How the simulator talks to Afín: the HTTP API and nothing else, so what it measures is what a shop
 * gets. The CLI passes either a server it started in-process or {@link httpShopApi} for `--url`.
 */
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** A 4xx or 5xx answer. */
export class ShopApiError extends Error {
  constructor(
    readonly method: Method,
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`${method} ${path.slice(0, 80)} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export interface ShopApi {
  /**
   * One request with the caller's key, acting in `workspace` when given (the `Afin-Workspace`
   * header: a root key's). Answers the parsed JSON (null for an empty answer); a 4xx or 5xx throws a
   * {@link ShopApiError}.
   */
  call(method: Method, path: string, body?: unknown, workspace?: string): Promise<unknown>;
}

/** A ShopApi over the network: an Afín at `baseUrl` with `key` (the root key, to make one workspace per arm). */
export function httpShopApi(baseUrl: string, key: string): ShopApi {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async call(method, path, body, workspace) {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (workspace) headers['afin-workspace'] = workspace;
      const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (res.status >= 400) throw new ShopApiError(method, path, res.status, text);
      return text ? JSON.parse(text) : null;
    },
  };
}
