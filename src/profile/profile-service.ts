import type { ConsentState } from '../domain/consent.ts';
import type { Store } from '../store/store.ts';
import { viewProfile, type Profile } from './profile.ts';

/** What the profile view needs from the other slices (wired in `server/compose.ts`). */
export interface ProfileDeps {
  store: Pick<Store, 'getUser' | 'getProfile'>;
  clock: () => number;
  /** The person's consent now, shown beside the profile. */
  consentState(ws: string, userId: string): Promise<ConsentState>;
  /** The catalogue's price terciles, which place the person's price band. */
  priceTerciles(ws: string): Promise<readonly [number, number] | null>;
  /** The person's predictions (churn risk, next purchase, propensity), or null without profiling consent or a model. */
  predictions?(ws: string, userId: string): Promise<unknown | null>;
}

/** A person's real-time profile as the API shows it: traits, features, affinities, funnel stage, segments, consent. */
export class ProfileService {
  constructor(private readonly deps: ProfileDeps) {}

  /** `predictions`: add the person's predictions (the profile route does; other slices reading the profile need not pay for them). */
  async view(ws: string, userId: string, opts: { predictions?: boolean } = {}) {
    const { store, clock } = this.deps;
    const [user, raw, consent, terciles, predictions] = await Promise.all([
      store.getUser(ws, userId),
      store.getProfile(ws, userId),
      this.deps.consentState(ws, userId),
      this.deps.priceTerciles(ws),
      opts.predictions && this.deps.predictions ? this.deps.predictions(ws, userId) : undefined,
    ]);
    const traitLanguage = typeof user?.traits.language === 'string' ? user.traits.language : undefined;
    return {
      userId,
      traits: user?.traits ?? {},
      ...viewProfile(raw as Profile | null, clock(), { traitLanguage, terciles }),
      consent,
      ...(predictions !== undefined ? { predictions } : {}),
    };
  }
}
