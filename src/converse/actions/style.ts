/** "Be brief", "háblame de usted": the style changes for the rest of the conversation. */
import type { ToneRequest } from '../nlu/slots.ts';
import type { AskableSlot } from '../session.ts';
import { requestedStyle } from '../tone.ts';
import { say, type TemplateKey } from '../templates.ts';
import { ask } from '../turn/form.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';

function guessToneRequest(text: string): ToneRequest | undefined {
  if (/usted|formal/i.test(text)) return 'formal';
  if (/\btú\b|\btu\b|informal|colega|relax/i.test(text)) return 'informal';
  if (/brief|short|breve|corto|conciso|directo|direct/i.test(text)) return 'brief';
  if (/detail|detalle|explica|technical|técnic/i.test(text)) return 'detailed';
  return undefined;
}

/** `pending`: the question that was open before this message, asked again in the new style. */
export async function changeStyle(d: Deps, t: Turn, pending: AskableSlot | null): Promise<Outcome> {
  const s = t.session;
  const r = requestedStyle(t.u.slots.tone ?? guessToneRequest(t.u.text));
  if (r.tone) s.tone = t.style.tone = r.tone;
  if (r.address) s.address = t.style.address = r.address;
  const key: TemplateKey = r.address === 'usted' && !r.tone ? 'address_usted' : r.address === 'tu' && t.style.lang === 'es' ? 'address_tu' : 'tone_switched';
  const ack = say(key, t.style, {}, t.seed);
  // A question left open is asked again, in the new style.
  if (pending) {
    const q = await ask(d, t, pending);
    if (q) return { ...q, reply: `${ack} ${q.reply}` };
  }
  return { reply: ack };
}
