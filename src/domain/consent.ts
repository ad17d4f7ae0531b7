import type { ConsentPurpose } from './schemas.ts';

/** Per purpose, whether the person allows it now. */
export type ConsentState = Record<ConsentPurpose, boolean>;

/**
 * The answer of the one choke point: what may be used for this person right now. Personalised
 * paths (recommendations, chat memory, content, nudges, presentation) read only these flags.
 */
export interface ConsentPolicy extends Readonly<ConsentState> {
  readonly subject: string;
  /**
   * The person was erased (their id is on the suppression list): every purpose is off, and the caller
   * must store nothing naming them — no log, session, memory or consent record — until a server lifts
   * the suppression (`DELETE /v1/suppressions/:id`).
   */
  readonly erased: boolean;
}
