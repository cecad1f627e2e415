import type { Generated } from 'kysely';

/*
 * The server's own tables, beside the engine's in the same database (made by db/migrations/).
 * Each store reads and writes its own through `Kysely<ServerDatabase>`.
 */

/** `api_token`: tokens stored as their SHA-256 only (auth/token-store.ts). */
export interface ApiTokenTable {
  id: Generated<number>;
  /** The first characters of the token, enough to recognise it. */
  prefix: string;
  hash: string;
  role: string;
  unit: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** The account the token acts as (migration 0006); null for a service token. */
  account_id: number | null;
  /** ISO instant after which the token no longer authenticates; null: never. */
  expires_at: string | null;
}

/** `access_log`: who read what through the API and the pages (audit/access/access-log.ts). */
export interface AccessLogTable {
  id: Generated<number>;
  at: string;
  token_id: number;
  role: string;
  method: string;
  path: string;
  status: number;
  /** The account that read (migration 0006); null for a token of no account. */
  account_id: number | null;
}

/** `web_session`: sign-in sessions of the pages, the cookie's id stored only as its SHA-256 (web/session/session-store.ts). */
export interface WebSessionTable {
  id_hash: string;
  /** The token a token sign-in stands for; 0 for an account's session. */
  token_id: number;
  created_at: string;
  expires_at: string;
  /** The account signed in (migration 0006); null for a token sign-in. */
  account_id: number | null;
  /** The client address it was opened from. */
  address: string | null;
  /** How it was opened (migration 0010): `password`, `code`, `token` or `sso`; null for a session opened before. */
  via: string | null;
}

/** `account`: a person (accounts/account-store.ts); the password stored only as its argon2id hash. */
export interface AccountTable {
  id: Generated<number>;
  /** Lower case, unique. */
  login: string;
  display_name: string;
  phone: string | null;
  email: string | null;
  /** The canonical name of the account's unit (the unit registry's); null for an account of no unit. */
  unit: string | null;
  /** An account role (accounts/account-roles.ts). */
  role: string;
  /** null until a password is set (a new account signs in first with a one-time code). */
  password_hash: string | null;
  /** 1: the password must be changed at the next sign-in. */
  must_change: number;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** `account_reset`: one-time sign-in codes an admin issued, stored as their SHA-256 only. */
export interface AccountResetTable {
  code_hash: string;
  account_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** `rate_limit_window`: requests per key in the current window, shared by every server on the database (rate-limit/db-rate-limiter.ts). */
export interface RateLimitWindowTable {
  key: string;
  window_start: number;
  count: number;
}

/** `notification`: one row per notified event per unit; UNIQUE (entry_seq, unit). */
export interface NotificationTable {
  id: Generated<number>;
  unit: string;
  task_id: string;
  /** The audit entry that caused it. */
  entry_seq: number;
  type: string;
  /** Chinese. */
  title: string;
  /** Chinese. */
  body: string;
  /** ISO instant: the audit entry's `at`. */
  created_at: string;
  acknowledged_at: string | null;
}

/** `webhook`: at most one outbound endpoint per unit. The secret signs each delivery (HMAC-SHA256). */
export interface WebhookTable {
  id: Generated<number>;
  unit: string;
  url: string;
  secret: string;
  created_at: string;
  updated_at: string;
}

/** The states of a delivery in the outbox. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** `webhook_delivery`: the outbox, one row per notification per webhook; UNIQUE (notification_id, webhook_id). */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  webhook_id: number;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** ISO instant before which the dispatcher leaves it alone. */
  next_attempt_at: string;
  last_attempt_at: string | null;
  /** `HTTP 500`, `timeout after 10000 ms`, …; null once delivered. */
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** `file_content`: one distinct evidence file, by the SHA-256 of its bytes (files/file-store.ts). */
export interface FileContentTable {
  sha256: string;
  size: number;
  /** The media type judged from its bytes, never from its name. */
  type: string;
  /** The CRC-32 of its bytes, which a zip of a task's files needs before it sends them. */
  crc32: number;
  /** How many rows of `file_chunk` hold its bytes. */
  chunks: number;
  created_at: string;
  /** The `file_chunk.content_key` its bytes are kept under: `upload:<id>` of the upload that first brought them (its SHA-256 for contents kept before migration 0014). */
  chunks_key: string;
}

/** `file_chunk`: a file's bytes in order, under `upload:<id>` of the upload that wrote them (a content's `chunks_key` once kept). */
export interface FileChunkTable {
  content_key: string;
  n: number;
  data: Uint8Array;
}

/**
 * `file_incoming`: an upload whose chunks are being written under `chunks_key` and not yet kept; the
 * row goes when the upload is kept or dropped, so one left behind is a killed server's (files/abandoned-uploads.ts).
 */
export interface FileIncomingTable {
  chunks_key: string;
  /** When the upload started; null for chunks found by migration 0017, until a sweep first sees them. */
  started_at: string | null;
  /** When a sweep claimed the upload as abandoned: it can no longer be kept, and its chunks are being removed. */
  abandoned_at: string | null;
}

/** `file_upload`: who uploaded a file under which name; an event may name only its own unit's uploads. */
export interface FileUploadTable {
  id: string;
  sha256: string;
  name: string;
  role: string;
  unit: string | null;
  uploaded_at: string;
}

/** `unit`: a canonical unit name, its kind, and where it stands in the registry's order. */
export interface UnitTable {
  name: string;
  kind: string;
  position: number;
}

/** `unit_alias`: another name of a unit (市住房公积金中心 → 市住房公积金管理中心). */
export interface UnitAliasTable {
  alias: string;
  unit: string;
}

/** `unit_member`: a unit a collective (各区人民政府) stands for, in order. */
export interface UnitMemberTable {
  collective: string;
  member: string;
  position: number;
}

/** `unit_registry`: one row (id 1) whose version every change to the units raises. */
export interface UnitRegistryTable {
  id: number;
  version: number;
}

/** `plan`: one imported plan, its settings and the file it came from (plans/plan-records.ts). */
export interface PlanTable {
  id: string;
  title: string;
  year: number | null;
  issuer: string | null;
  /** ISO instant of the import. */
  imported_at: string;
  /** Who imported it: `admin`, `office`, with the account's name when a person did (`office:张三`). */
  imported_by: string;
  warning_lead_days: number;
  escalate_after_days: number;
  /** 1: a deadline already past at the import counts as passed at the import (no escalation, no deduction before it). */
  late_from_import: number;
  source_name: string | null;
  source_sha256: string | null;
  /** 1 while the plan is current; the selector's default is the newest active plan. */
  active: number;
}

/** `sso_link` (migration 0010): an OpenID provider's identity (issuer, subject) and the account it signs in as. */
export interface SsoLinkTable {
  issuer: string;
  subject: string;
  account_id: number;
  created_at: string;
}

/** `sso_pending` (migration 0010): a single sign-on on its way through the provider, by the SHA-256 of its browser cookie; used once. */
export interface SsoPendingTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  /** Where to go once signed in (a local path), or null for the start page. */
  next: string | null;
  created_at: string;
  expires_at: string;
}

/** The channels a notice goes out by besides the list and the webhook. */
export type NoticeChannelKind = 'email' | 'wecom' | 'dingtalk';

/** `notice_channel`: one per unit per channel (migration 0012); UNIQUE (unit, channel). */
export interface NoticeChannelTable {
  id: Generated<number>;
  unit: string;
  channel: NoticeChannelKind;
  /** The unit's mailbox, or the robot's webhook URL (its access token in the query: shown back masked). */
  target: string;
  /** 钉钉's signing secret (SEC…); null for the others and for an unsigned robot. Never shown back. */
  secret: string | null;
  /** `markdown` or `text` (企业微信); `markdown` for the others. */
  format: string;
  /** JSON array of the notice types this channel takes; null: every type. */
  kinds: string | null;
  created_at: string;
  updated_at: string;
}

/** `notice_person`: whether an account wants its unit's notices by e-mail (migration 0012). */
export interface NoticePersonTable {
  account_id: number;
  /** 1: yes. */
  email: number;
  updated_at: string;
}

/** `notice_delivery`: the channels' outbox and delivery log (migration 0012); UNIQUE (notification_id, channel, recipient). */
export interface NoticeDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  channel: NoticeChannelKind;
  /** The unit's channel it goes by (null for a person's e-mail). */
  channel_id: number | null;
  /** The person it goes to (null for a unit's mailbox or robot). */
  account_id: number | null;
  /** The e-mail address; `robot` for a robot. */
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** `task_watch`: the tasks a person watches (关注), by account. */
export interface TaskWatchTable {
  account_id: number;
  task_id: string;
  created_at: string;
}

/** `circular_issue`: the register of issued circulars (reports/circular/circular-register.ts); each row chained to the one before. */
export interface CircularIssueTable {
  id: Generated<number>;
  /** 文号, e.g. 克改办通〔2023〕3号. */
  number: string;
  prefix: string;
  year: number;
  sequence: number;
  period_from: string;
  period_to: string;
  title: string;
  /** The circular as issued (JSON of `Circular`). */
  content: string;
  /** Hex SHA-256 of `content`. */
  content_sha256: string;
  /** JSON array of the units it names, who may read it. */
  units: string;
  issued_at: string;
  issued_by_role: string;
  issued_by_account: number | null;
  issued_by_name: string | null;
  caller_key: string;
  idempotency_key: string | null;
  /** The previous row's hash (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256 over prev_hash and the row's fields (circular-register.ts). */
  hash: string;
}

/** `cycle_report`: one row per task entry that counts as a unit's report in a reporting cycle (0015), written by `cycles/cycle-hook.ts`. */
export interface CycleReportTable {
  entry_seq: number;
  plan_id: string;
  task_id: string;
  unit: string;
  /** The entry's time (ISO, as the log writes it). */
  at: string;
}

/** `cycle_part`: a closed cycle's record (0015, `schedule` 0019), one row per part that owed a report when it fell due; `reported_seq` null: 未报. */
export interface CyclePartTable {
  plan_id: string;
  /** Which schedule closed the cycle (0019): `plan`, the plan's; `task`, the task's own. */
  schedule: 'plan' | 'task';
  cycle_key: string;
  task_id: string;
  unit: string;
  /** 1: the unit leads the task (牵头); 0: it shares it (配合). */
  lead: number;
  due_at: string;
  /** The CYCLE_DUE entry that closed the cycle. */
  due_seq: number;
  reported_seq: number | null;
}

/** Every table of the server's. */
/** The text a keyword search looks through, one row a task (0011; on SQLite also an FTS5 trigram index over it). */
export interface TaskSearchTable {
  task_id: string;
  /** The task's place in plan order (0016): plan id, then number, then task id. */
  plan_id: string;
  number: number;
  /** The text searched: on SQLite the task's own (number, part, measure, text, units), its latest progress and report being in `latest` (0020, SQLite only, written with raw SQL); on PostgreSQL all of it. */
  body: string;
}

/** A bulk request's first answer, by the caller's Idempotency-Key (0011). */
export interface BulkRequestTable {
  key: string;
  fingerprint: string;
  /** The JSON answer. */
  response: string;
  created_at: string;
}

/** One reform-task entry's version of its task (migration 0018): see planHistoryMigration. */
export interface PlanHistoryTable {
  instance_id: string;
  version: number;
  seq: number;
  /** Epoch ms. */
  at: number;
  state: string;
  plan_v: number;
  standing_v: number;
  progress_v: number;
  detail_v: number;
  plan: string | null;
  standing: string | null;
  progress: string | null;
  detail: string | null;
}

/** How far plan_history has folded the log in (one row, id 1). */
export interface PlanHistoryStateTable {
  id: number;
  seq: number;
  /** 1 once some task's entries were stamped out of order: its versions do not follow time. */
  unordered: number;
}

/** One part of the report read model's checkpoint (migration 0021): part 0 its header, then its rows in slices, each JSON. */
export interface ReportModelCheckpointTable {
  part: number;
  body: string;
}

export interface ServerDatabase {
  report_model_checkpoint: ReportModelCheckpointTable;
  plan_history: PlanHistoryTable;
  plan_history_state: PlanHistoryStateTable;
  cycle_report: CycleReportTable;
  cycle_part: CyclePartTable;
  api_token: ApiTokenTable;
  access_log: AccessLogTable;
  web_session: WebSessionTable;
  rate_limit_window: RateLimitWindowTable;
  notification: NotificationTable;
  webhook: WebhookTable;
  webhook_delivery: WebhookDeliveryTable;
  account: AccountTable;
  account_reset: AccountResetTable;
  file_content: FileContentTable;
  file_chunk: FileChunkTable;
  file_upload: FileUploadTable;
  file_incoming: FileIncomingTable;
  unit: UnitTable;
  unit_alias: UnitAliasTable;
  unit_member: UnitMemberTable;
  unit_registry: UnitRegistryTable;
  plan: PlanTable;
  sso_link: SsoLinkTable;
  sso_pending: SsoPendingTable;
  notice_channel: NoticeChannelTable;
  notice_person: NoticePersonTable;
  notice_delivery: NoticeDeliveryTable;
  task_search: TaskSearchTable;
  bulk_request: BulkRequestTable;
  task_watch: TaskWatchTable;
  circular_issue: CircularIssueTable;
}
