import { z } from 'zod';

const name = z.string().min(1).max(200);

/** An account as an organisation entry names it (by its login name, unique and never changed; its id once it has one): never a password, a hash or a code. */
const accountFacts = z.strictObject({
  id: z.number().int().positive().optional(),
  login: name,
  displayName: name,
  role: name,
  unit: name.nullable(),
});

/**
 * One change to the unit registry, as data: units added, kinds changed, aliases added and removed,
 * the members a collective stands for. Applied in the order written here; at least one part.
 */
export const changeUnitsPayload = z
  .strictObject({
    addUnits: z.array(z.strictObject({ name, kind: name })).optional(),
    kinds: z.array(z.strictObject({ unit: name, kind: name })).optional(),
    addAliases: z.array(z.strictObject({ alias: name, unit: name })).optional(),
    removeAliases: z.array(z.strictObject({ alias: name, unit: name })).optional(),
    members: z.array(z.strictObject({ unit: name, members: z.array(name) })).optional(),
  })
  .refine((change) => Object.values(change).some((part) => part !== undefined && part.length > 0), 'a change to the units changes something');

/** The organisation's events: each records one change an admin made. */
export const organisationEventPayloads = {
  CHANGE_UNITS: changeUnitsPayload,
  CREATE_ACCOUNT: z.strictObject({ account: accountFacts }),
  CHANGE_ACCOUNT: z.strictObject({ before: accountFacts, after: accountFacts }),
  DISABLE_ACCOUNT: z.strictObject({ account: accountFacts }),
  ENABLE_ACCOUNT: z.strictObject({ account: accountFacts }),
  RESET_ACCOUNT: z.strictObject({ account: accountFacts }),
} as const;

export type OrganisationEventType = keyof typeof organisationEventPayloads;
export type OrganisationPayloads = { [K in OrganisationEventType]: z.infer<(typeof organisationEventPayloads)[K]> };
export type UnitChange = OrganisationPayloads['CHANGE_UNITS'];
export type AccountFacts = z.infer<typeof accountFacts>;

export const organisationEventTypes = Object.keys(organisationEventPayloads) as OrganisationEventType[];
