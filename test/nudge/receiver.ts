import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
  /** Checked here with node:crypto alone, as a shop's receiver would, not with Afín's own helper. */
  signatureValid: boolean;
}

/** A real webhook receiver on 127.0.0.1: answers with the queued statuses (then 200) and checks each signature. */
export async function webhookReceiver() {
  const got: Received[] = [];
  const statuses: number[] = [];
  let secret = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['afin-timestamp'] ?? '');
      const want = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`);
      const sig = Buffer.from(String(req.headers['afin-signature'] ?? ''));
      got.push({ headers: req.headers, body, json: JSON.parse(body), signatureValid: want.length === sig.length && timingSafeEqual(want, sig) });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/afin`,
    got,
    statuses,
    setSecret(s: string) {
      secret = s;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
