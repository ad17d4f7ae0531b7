/**
 * The LLM stand-in of `afin eval content`: a real HTTP server on 127.0.0.1 speaking the OpenAI Chat
 * Completions wire protocol, which writes each piece from the facts the writer sends it and, at a
 * seeded rate, invents one thing a real model might: a price, a number or a product of the shop that
 * the facts do not hold. It logs what it invented, answer by answer, for the checker's catch rate.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatPrice } from '../converse/templates.ts';
import { FACTS_MARKER } from '../generate/llm-writer.ts';
import { rng } from '../stats/random.ts';

export type Invention = 'price' | 'number' | 'product';

export interface ContentStandIn {
  /** The base URL to configure (ends in `/v1`). */
  url: string;
  /** One entry per answer, in order: what it invented, or null. */
  log: Array<Invention | null>;
  close(): Promise<void>;
}

interface PromptFacts {
  task: { kind: 'email' | 'description'; goal?: string };
  reader: { language: 'en' | 'es'; name: string | null };
  /** The system prompt asked for "usted" (the stand-in follows the writer's instructions on address). */
  usted?: boolean;
  items: Array<{ title: string; price: number | null; currency: string | null; description: string[]; reasons?: string[] }>;
}

export async function startContentStandIn(opts: { seed: number; inventRate: number; decoys: readonly string[] }): Promise<ContentStandIn> {
  const next = rng(opts.seed);
  const log: Array<Invention | null> = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { messages: Array<{ role: string; content: string }> };
    const factsMessage = body.messages.find((m) => m.role === 'user' && m.content.startsWith(FACTS_MARKER));
    if (req.url !== '/v1/chat/completions' || !factsMessage) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'no facts in the request', type: 'invalid_request_error' } }));
    }
    const facts = JSON.parse(factsMessage.content.slice(FACTS_MARKER.length)) as PromptFacts;
    facts.usted = body.messages.some((m) => m.role === 'system' && m.content.includes('"usted"'));
    const invention: Invention | null = next() < opts.inventRate ? (['price', 'number', 'product'] as const)[Math.floor(next() * 3)] : null;
    const piece = write(facts, invention, opts.decoys, next);
    log.push(piece.invented);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-standin${log.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: 'content-stand-in',
        choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(piece.answer) }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plain text from the facts, with the invention (when one is drawn and possible) worked in. */
function write(f: PromptFacts, invention: Invention | null, decoys: readonly string[], next: () => number) {
  const es = f.reader.language === 'es';
  const lang = f.reader.language;
  const price = (p: { price: number | null; currency: string | null }) => (p.price === null ? '' : `: ${formatPrice(p.price, p.currency ?? undefined, lang)}`);
  const lines = f.items.map((it) => `- ${it.title}${price(it)}`);
  const hello = f.reader.name ? (es ? `Hola, ${f.reader.name}.` : `Hi ${f.reader.name},`) : es ? 'Hola.' : 'Hello,';
  const extra: string[] = [];
  let invented: Invention | null = null;
  const priced = f.items.find((it) => it.price !== null && it.price > 2);
  // A decoy the facts contain (a title, or a reason's "because you viewed X") ("Amazon eGift Card" in "Amazon eGift Card - Birthday") would name no new product.
  const owned = f.items.flatMap((it) => [it.title, ...(it.reasons ?? []), ...it.description]).map((x) => x.toLowerCase());
  const fresh = decoys.filter((d) => !owned.some((o) => o.includes(d.toLowerCase()) || d.toLowerCase().includes(o)));
  const decoy = fresh[Math.floor(next() * fresh.length)];
  if (invention === 'price' && priced) {
    const fake = Math.round(priced.price! * 0.85) - 0.01;
    extra.push(
      es
        ? `Hoy ${priced.title} por solo ${formatPrice(fake, priced.currency ?? undefined, lang)}.`
        : `Today ${priced.title} for only ${formatPrice(fake, priced.currency ?? undefined, lang)}.`,
    );
    invented = 'price';
  } else if (invention === 'number' || (invention === 'price' && !priced)) {
    const n = 10 + Math.floor(next() * 40);
    extra.push(es ? `Más de ${n * 100} clientes ya lo tienen.` : `Over ${n * 100} customers already own one.`);
    invented = 'number';
  } else if (invention === 'product' && decoy) {
    extra.push(es ? `${f.usted ? 'Combínelo' : 'Combínalo'} con ${decoy}.` : `Pair it with ${decoy}.`);
    invented = 'product';
  }
  if (f.task.kind === 'email') {
    const intro = es ? `Hemos elegido esto para ${f.usted ? 'usted' : 'ti'}:` : 'We picked these for you:';
    return {
      answer: {
        subject: es ? `Elegido para ${f.usted ? 'usted' : 'ti'}` : 'Picked for you',
        text: [hello, '', intro, ...lines, '', ...extra].join('\n').trim(),
      },
      invented,
    };
  }
  const it = f.items[0];
  const text = [`${it.title}${price(it)}.`, ...it.description.slice(0, 2), ...extra].join(' ');
  return { answer: { text }, invented };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
