/**
 * The optional LLM writer: an OpenAI-compatible endpoint writes the same piece from the same facts.
 * Its text must pass the fact checker and the style check (language, tú/usted, tone); a rejected text
 * is written again once with the problems named, then given up (the caller falls back to the
 * embedded writer), as is any timeout or error.
 */
import { LANGUAGE_NAME, TONE_RULE } from '../converse/llm-reply.ts';
import { LlmClient, LlmError, type ChatMessage } from '../llm/index.ts';
import { checkFacts, checkStyle, type FactsForCheck } from './checker.ts';
import type { ItemFacts, Reader } from './facts.ts';
import type { EmailGoal } from './schemas.ts';

export interface LlmWriterSettings {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** What was asked: an email for a goal, or one item's description. */
export type LlmTask = { kind: 'email'; goal: EmailGoal; anchor?: ItemFacts } | { kind: 'description' };

export interface LlmPiece {
  subject?: string;
  text: string;
}

export interface LlmOutcome {
  piece: LlmPiece | null;
  /** Each attempt's problems (empty for the accepted one). */
  attempts: Array<{ problems: string[] }>;
}

/** The line that opens the facts in the prompt: a stand-in server may read them back. */
export const FACTS_MARKER = 'FACTS_JSON:';

export class LlmWriter {
  private readonly client: LlmClient;

  constructor(settings: LlmWriterSettings) {
    this.client = new LlmClient({ baseUrl: settings.url, model: settings.model, apiKey: settings.apiKey, timeoutMs: settings.timeoutMs ?? 20_000 });
  }

  async write(task: LlmTask, reader: Reader, facts: FactsForCheck & { brand?: string }): Promise<LlmOutcome> {
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(task, reader) },
      { role: 'user', content: `${FACTS_MARKER}\n${JSON.stringify(promptFacts(task, reader, facts))}` },
    ];
    const attempts: LlmOutcome['attempts'] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      let content: string;
      try {
        const r = await this.client.complete({ messages, temperature: 0.7, maxTokens: 900 });
        content = r.message.content ?? '';
      } catch (e) {
        if (!(e instanceof LlmError)) throw e;
        attempts.push({ problems: [`${e.kind}: ${e.message}`] });
        return { piece: null, attempts };
      }
      const piece = parsePiece(content, task.kind === 'email');
      const whole = piece ? `${piece.subject ?? ''}\n${piece.text}` : '';
      const problems = piece
        ? [
            ...checkFacts(whole, facts).problems,
            ...checkStyle(whole, reader, { ...facts, names: [...(facts.names ?? []), ...(reader.name ? [reader.name] : [])] }).problems,
          ]
        : ['the answer is not the JSON object asked for'];
      attempts.push({ problems });
      if (piece && problems.length === 0) return { piece, attempts };
      messages.push(
        { role: 'assistant', content },
        {
          role: 'user',
          content: `Your text was rejected: ${problems.join('; ')}. Write it again using only the facts given (no other prices, numbers or products), in ${LANGUAGE_NAME[reader.lang]}${reader.lang === 'es' ? `, addressing the reader as "${reader.address === 'usted' ? 'usted' : 'tú'}"` : ''}, tone: ${TONE_RULE[reader.tone]}.`,
        },
      );
    }
    return { piece: null, attempts };
  }
}

function systemPrompt(task: LlmTask, reader: Reader): string {
  const what =
    task.kind === 'email'
      ? `a marketing email (goal: ${task.goal}) presenting every item given, each with its reason. Answer with a JSON object {"subject": "...", "text": "..."}; the text is plain text, items as lines starting with "- ".`
      : 'a product description for this reader, leading with the facts that match their interests. Answer with a JSON object {"text": "..."}.';
  const address = reader.lang === 'es' ? ` Address the reader as "${reader.address === 'usted' ? 'usted' : 'tú'}".` : '';
  return [
    `You write ${what}`,
    `Write in ${LANGUAGE_NAME[reader.lang]}. Tone: ${TONE_RULE[reader.tone]}.${address}`,
    'Use ONLY the facts in the JSON the user sends: never mention a price, number, product, feature or claim that is not there. Write prices exactly as given in "price".',
  ].join('\n');
}

/** The facts as the model sees them: prices already written the reader's way. */
function promptFacts(task: LlmTask, reader: Reader, facts: FactsForCheck & { brand?: string }) {
  return {
    task: task.kind === 'email' ? { kind: 'email', goal: task.goal, about: task.anchor?.title } : { kind: 'description' },
    reader: { language: reader.lang, tone: reader.tone, name: reader.name ?? null, interests: reader.interests, daysSinceLastSeen: reader.daysSinceLastSeen },
    shop: facts.brand ?? null,
    numbers: facts.numbers ?? [],
    items: facts.items.map((f) => ({
      id: f.id,
      title: f.title,
      price: f.price ?? null,
      currency: f.currency ?? null,
      brand: f.brand ?? null,
      colour: f.colour ?? null,
      uses: f.uses,
      attributes: Object.fromEntries(f.attributes.map((a) => [a.name, a.value])),
      description: f.sentences,
      available: f.available,
      reasons: f.reasons,
    })),
  };
}

/** The model's JSON object, from a bare answer or one wrapped in a code fence. */
export function parsePiece(content: string, needsSubject: boolean): LlmPiece | null {
  const m = /\{[\s\S]*\}/.exec(content);
  if (!m) return null;
  try {
    const v = JSON.parse(m[0]) as Record<string, unknown>;
    if (typeof v.text !== 'string' || !v.text.trim() || v.text.length > 20_000) return null;
    if (needsSubject && (typeof v.subject !== 'string' || !v.subject.trim() || v.subject.length > 300)) return null;
    return { text: v.text.trim(), ...(needsSubject ? { subject: String(v.subject).trim() } : {}) };
  } catch {
    return null;
  }
}
