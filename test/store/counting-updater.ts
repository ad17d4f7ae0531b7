import type { ProfileUpdater } from '../../src/store/store.ts';

/** Counts each person's events in their profile (`n`), changing the given object in place as the ingest path does. */
export const countingInPlace: ProfileUpdater = (inserted, current) => {
  const out = new Map<string, Record<string, unknown>>();
  for (const e of inserted) {
    const p = out.get(e.subject) ?? current.get(e.subject) ?? { n: 0 };
    p.n = (p.n as number) + 1;
    out.set(e.subject, p);
  }
  return [...out].map(([subject, profile]) => ({ subject, profile }));
};
