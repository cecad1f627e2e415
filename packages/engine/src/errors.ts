/** Base of every refusal the engine reports as data. `code` is stable and maps to one HTTP status. */
export abstract class EngineError extends Error {
  abstract readonly code: string;
  override get name(): string {
    return this.constructor.name;
  }
}

/** The instance does not exist (or, at the edge, is not visible to the caller). */
export class InstanceNotFound extends EngineError {
  readonly code = 'instance_not_found';
  constructor(readonly instanceId: string) {
    super(`instance ${instanceId} not found`);
  }
}

/** The event type is not part of the workflow. */
export class UnknownEvent extends EngineError {
  readonly code = 'unknown_event';
  constructor(readonly eventType: string, readonly known: readonly string[]) {
    super(`unknown event type ${JSON.stringify(eventType)}; known: ${known.join(', ')}`);
  }
}

/** The actor's role may not send this event to this instance, in any state. */
export class Forbidden extends EngineError {
  readonly code = 'forbidden';
  constructor(readonly eventType: string, readonly role: string) {
    super(`role ${role} may not send ${eventType} here`);
  }
}

/** The payload fails the event's schema. */
export class InvalidPayload extends EngineError {
  readonly code = 'invalid_payload';
  constructor(readonly eventType: string, readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid ${eventType} payload: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/** The machine does not accept this event in its current state. */
export class TransitionNotAllowed extends EngineError {
  readonly code = 'transition_not_allowed';
  constructor(readonly eventType: string, readonly state: string, readonly allowedEvents: readonly string[]) {
    super(`${eventType} is not allowed in state ${state}`);
  }
}

/** The caller's expected version is not the instance's current version. Nothing was written. */
export class VersionConflict extends EngineError {
  readonly code = 'version_conflict';
  constructor(readonly instanceId: string, readonly expected: number, readonly actual: number) {
    super(`instance ${instanceId} is at version ${actual}, not ${expected}`);
  }
}

/** The same idempotency key was used before with a different request. */
export class IdempotencyKeyReused extends EngineError {
  readonly code = 'idempotency_key_reused';
  constructor(readonly key: string) {
    super(`idempotency key ${JSON.stringify(key)} was already used with a different request`);
  }
}

/** An instance of that id exists with a different workflow or input; nothing was imported. */
export class InstanceConflict extends EngineError {
  readonly code = 'instance_conflict';
  constructor(readonly instanceIds: readonly string[]) {
    super(`instances already exist with different content: ${instanceIds.slice(0, 10).join(', ')}${instanceIds.length > 10 ? ', …' : ''}`);
  }
}

/** The store could not do its work right now (busy, disk full, connection lost). Nothing was written. */
export class StoreUnavailable extends EngineError {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A checkpoint signer's key is not the log's: another key is recorded in the database as the one that
 * signs its checkpoints, or (in a log from before keys were recorded) the key did not sign the latest
 * checkpoint. Nothing was written.
 */
export class CheckpointKeyMismatch extends EngineError {
  readonly code = 'checkpoint_key_mismatch';
  constructor(
    /** The refused key's name (`ed25519:<hex>`). */
    readonly keyName: string,
    /** The log's key: the one recorded, or the one named on its latest checkpoint. */
    readonly logKeyName: string,
    /** When no key was recorded: the latest checkpoint, which the key did not open, and why. */
    readonly latestCheckpoint?: { readonly size: number; readonly reason: string },
  ) {
    super(
      latestCheckpoint === undefined
        ? `this log's checkpoints are signed with key ${logKeyName} (recorded in the database), not ${keyName}`
        : `key ${keyName} did not sign this log's latest checkpoint (size ${latestCheckpoint.size}, signed by ${logKeyName}): ${latestCheckpoint.reason}`,
    );
  }
}
