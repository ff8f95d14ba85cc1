/** What the per-actor views are made of (ActorInvolvementReader). */

/** An entry an actor is linked to. */
export interface InvolvedEntry {
  readonly entryId: string;
  readonly actorId: string;
  readonly role: string;
  readonly type: string;
  readonly crisisId: string;
  readonly occurredStart: string | null;
  readonly summary: string;
  readonly status: string;
}

/** A claim of one of the actors (as claimant) that someone disputes; the disputer by id only. */
export interface DisputedClaim {
  readonly entryId: string;
  readonly claimantId: string;
  readonly summary: string;
  /** Who disputes: an actor, a source, or both. */
  readonly disputedBy: { readonly actorId: string | null; readonly sourceId: string | null };
  /** The field disputed; null: the whole entry. */
  readonly field: string | null;
  readonly counterEntryId: string | null;
  readonly reason: string;
  readonly recordedAt: string;
}

export interface InvolvementCounts {
  readonly entries: number;
  readonly claims: number;
  readonly disputedClaims: number;
}

/** The actor a view is about: itself alone, or with its members (`ids`: itself and them). */
export interface InvolvedActors {
  readonly id: string;
  readonly withMembers: boolean;
  /** The actor and its members at all times. */
  readonly ids: readonly string[];
  /** Members for a period only: their entries count when they happened within it. */
  readonly periods?: readonly MemberPeriod[];
}

/** A member for a period (a `member-of` relation stated with validFrom/validTo), in ms. */
export interface MemberPeriod {
  readonly actorId: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** What a group of actors did, as the timeline stood in a scope. */
export interface ActorInvolvement {
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly involvement: {
    readonly entries: number;
    readonly byRole: Record<string, number>;
    readonly byType: Record<string, number>;
  };
  readonly claims: InvolvedEntry[];
  readonly involvedIn: InvolvedEntry[];
  readonly disputedClaims: DisputedClaim[];
}
