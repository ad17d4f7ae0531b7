/** What every generated piece carries, whatever it is: its id, who wrote it, for whom, in which style, from what. */
import { randomBytes } from 'node:crypto';
import type { Reader, Signal } from './facts.ts';

export interface Basis {
  signals: Signal[];
  facts: Array<{ itemId: string; field: string; value: string | number | boolean }>;
}

export interface PieceCommon {
  contentId: string;
  by: 'embedded' | 'llm';
  personalized: boolean;
  language: 'en' | 'es';
  tone: string;
  address?: string;
  basis: Basis;
  /** When an LLM is configured: what its attempts were rejected for (empty when its text was used at once). */
  llm?: { attempts: number; problems: string[] };
}

export function styleFields(r: Reader): { language: 'en' | 'es'; tone: string; address?: string } {
  return { language: r.lang, tone: r.tone, ...(r.lang === 'es' ? { address: r.address } : {}) };
}

export function newId(): string {
  return `cnt_${randomBytes(12).toString('base64url')}`;
}
