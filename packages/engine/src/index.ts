export type { Actor, ActorAccount } from './actor.ts';
export { SYSTEM_ACTOR } from './actor.ts';
export type { Json, JsonObject } from './json.ts';
export type {
  AnyWorkflowDefinition,
  EventSpec,
  MachineEvent,
  StoredSnapshot,
  TimerSpec,
  WorkflowDefinition,
} from './workflow-definition.ts';
export type { AuditDraft, AuditEntry } from './audit-entry.ts';
export { CREATE_EVENT, GENESIS_HASH, hashEntry, sealEntry } from './audit-entry.ts';
export { canonicalJson } from './canonical-json.ts';
export type { InstanceState, Step, StepResult } from './step.ts';
export { allowedEvents, start, step } from './step.ts';
export {
  CheckpointKeyMismatch,
  EngineError,
  Forbidden,
  IdempotencyKeyReused,
  InstanceConflict,
  InstanceNotFound,
  InvalidPayload,
  StoreUnavailable,
  TransitionNotAllowed,
  UnknownEvent,
  VersionConflict,
} from './errors.ts';
export type { BatchEvent, BatchResult, CheckpointSigner, CommitHook, ConsistencyProof, CreateRequest, EngineOptions, InclusionProof, ReplayOptions, ReplayReport, SendOptions, SendResult } from './engine.ts';
export { AuditLog } from './audit-log.ts';
export { CheckpointLog } from './checkpoint-log.ts';
export { Engine } from './engine.ts';
export type { ChainReport } from './chain-verification.ts';
export { verifyChain } from './chain-verification.ts';
export type { ReplayDifference, ReplayedInstance, ReplayResult } from './replay.ts';
export { LogReplay, replayLog } from './replay.ts';
export type { ReplayThreads } from './parallel-replay.ts';
export { availableCores, defaultReplayWorkers, replayInParallel } from './parallel-replay.ts';
export { WorkflowRegistry } from './workflow-registry.ts';
export type { AuditQuery, CheckpointKey, Dialect, InstanceQuery, InstanceRecord, LeanEntry, Store, StoreTransaction, StoredTimer } from './store/store.ts';
export { KyselyStore } from './store/kysely-store.ts';
export type { AuditLogTable as AuditLogRow } from './store/schema.ts';
export { fromEntry as auditRowFromEntry, toEntry as auditEntryFromRow } from './store/row-mapping.ts';
export { isPostgresUrl, openStore } from './store/open-store.ts';
export type { Checkpoint, CheckpointCheck, SignedCheckpoint } from './checkpoint.ts';
export { checkpointBody, keyName, openCheckpoint, signCheckpoint } from './checkpoint.ts';
export type { LogVerification } from './log-verification.ts';
export { verifyLog } from './log-verification.ts';
export { consistencyProof, inclusionProof, MerkleFrontier, merkleRoot, verifyConsistency, verifyInclusion } from './merkle-tree.ts';
