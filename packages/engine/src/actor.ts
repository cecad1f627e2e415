/** Who sends an event. `unit` is null for roles that act for no unit (office, system, …). */
export interface Actor {
  readonly role: string;
  readonly unit: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ role: 'system', unit: null });
