export type { OrganisationContext } from './organisation-definition.ts';
export { ORGANISATION_ID, organisationV1 } from './organisation-definition.ts';
export type { AccountFacts, OrganisationEventType, OrganisationPayloads, UnitChange } from './organisation-events.ts';
export { changeUnitsPayload, organisationEventPayloads, organisationEventTypes } from './organisation-events.ts';
