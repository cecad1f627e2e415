/** Who sends an event. `unit` is null for roles that act for no unit (office, system, …). */
export interface Actor {
  readonly role: string;
  readonly unit: string | null;
  /**
   * The person who acted, when a person did: their account's id and display name at the time.
   * Absent on entries of services, timers and every entry written before accounts existed; when
   * absent the entry's canonical JSON (and so its hash) is what it always was.
   */
  readonly account?: ActorAccount;
}

/** A person's account as an audit entry names it. */
export interface ActorAccount {
  readonly id: number;
  readonly name: string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ role: 'system', unit: null });
