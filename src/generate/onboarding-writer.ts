/**
 * The embedded writer's onboarding plan: a short message with the steps in the plan's order, in the
 * reader's language, tone and form of address. The steps' own titles and descriptions are the
 * workspace's words (in the reader's language when the workspace gave one).
 */
import { applyAddress, pickIndex } from '../converse/templates.ts';
import type { Lang } from '../text/text.ts';
import type { Reader } from './facts.ts';
import type { LocalisedT } from './schemas.ts';
import { escapeHtml } from './writer.ts';

export interface PlanStep {
  id: string;
  title: string;
  description?: string;
  done: boolean;
}

type ByTone = { informal: readonly string[]; technical: readonly string[]; direct: readonly string[] };

const WORDS: Record<'greeting' | 'intro' | 'introRole' | 'next' | 'progress' | 'allDone', Record<Lang, ByTone>> = {
  greeting: {
    en: { informal: ['Hi{name}!', 'Welcome{name}!'], technical: ['Hello{name},'], direct: ['Hi{name},'] },
    es: { informal: ['¡Hola{name}!', '¡[Te damos|Le damos] la bienvenida{name}!'], technical: ['Hola{name}:'], direct: ['Hola{name}:'] },
  },
  intro: {
    en: {
      informal: ["Here's your plan to get started.", "Let's get you set up, one step at a time."],
      technical: ['Your setup plan, each step after the ones it depends on.'],
      direct: ['Your steps:'],
    },
    es: {
      informal: ['Este es [tu|su] plan para empezar.', 'Vamos a dejarlo todo listo, paso a paso.'],
      technical: ['[Tu|Su] plan de configuración, cada paso después de los que necesita.'],
      direct: ['[Tus|Sus] pasos:'],
    },
  },
  introRole: {
    en: {
      informal: ["Here's your plan to get started as {role}.", "Let's get you set up as {role}, one step at a time."],
      technical: ['Your setup plan for the {role} role, each step after the ones it depends on.'],
      direct: ['Your steps ({role}):'],
    },
    es: {
      informal: ['Este es [tu|su] plan para empezar en {role}.', 'Vamos a dejarlo todo listo para {role}, paso a paso.'],
      technical: ['[Tu|Su] plan de configuración para el rol {role}, cada paso después de los que necesita.'],
      direct: ['[Tus|Sus] pasos ({role}):'],
    },
  },
  next: {
    en: { informal: ['Start with: {step}.', 'First up: {step}.'], technical: ['Next step: {step}.'], direct: ['Next: {step}.'] },
    es: { informal: ['[Empieza|Empiece] por: {step}.', 'Lo primero: {step}.'], technical: ['Siguiente paso: {step}.'], direct: ['Siguiente: {step}.'] },
  },
  progress: {
    en: { informal: ['{done} of {total} done already, nice!'], technical: ['Completed: {done} of {total}.'], direct: ['{done}/{total} done.'] },
    es: { informal: ['¡Ya [llevas|lleva] {done} de {total}!'], technical: ['Completados: {done} de {total}.'], direct: ['{done}/{total} hechos.'] },
  },
  allDone: {
    en: { informal: ["You're all set, every step is done!"], technical: ['All steps are complete.'], direct: ['All done.'] },
    es: { informal: ['¡[Lo tienes|Lo tiene] todo listo!'], technical: ['Todos los pasos están completados.'], direct: ['Todo hecho.'] },
  },
};

/** The workspace's text in the reader's language, else English, else the other. */
export function localised(t: LocalisedT | undefined, lang: Lang): string | undefined {
  if (t === undefined || typeof t === 'string') return t;
  return t[lang] ?? t.en ?? t.es;
}

export function writeOnboarding(steps: readonly PlanStep[], reader: Reader, role: string | null): { text: string; html: string } {
  const lang = reader.lang;
  const seed = JSON.stringify([lang, reader.tone, reader.address, reader.name, role, steps.map((s) => [s.id, s.done])]);
  const say = (key: keyof typeof WORDS, vars: Record<string, string | number>) => {
    const options = WORDS[key][lang][reader.tone];
    const raw = options[pickIndex(`${key}:${seed}`, options.length)];
    return applyAddress(
      raw.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? '')),
      reader.address,
    );
  };
  const name = reader.name ? ` ${reader.name}` : '';
  const done = steps.filter((s) => s.done).length;
  const pending = steps.filter((s) => !s.done);
  const lines: string[] = [say('greeting', { name }), ''];
  if (!pending.length) lines.push(say('allDone', {}));
  else {
    lines.push(role ? say('introRole', { role }) : say('intro', {}));
    if (done) lines.push(say('progress', { done, total: steps.length }));
    lines.push('', say('next', { step: pending[0].title }), '');
    for (const [k, s] of pending.entries()) lines.push(`${k + 1}. ${s.title}${s.description && reader.tone !== 'direct' ? ` — ${s.description}` : ''}`);
  }
  const text = lines.join('\n').trim();
  const html = [
    `<div lang="${lang}">`,
    ...text.split(/\n\s*\n/).map((b) =>
      /^\d+\. /.test(b)
        ? `<ol>${b
            .split('\n')
            .map((l) => `<li>${escapeHtml(l.replace(/^\d+\. /, ''))}</li>`)
            .join('')}</ol>`
        : `<p>${b.split('\n').map(escapeHtml).join('<br>')}</p>`,
    ),
    '</div>',
  ].join('\n');
  return { text, html };
}
