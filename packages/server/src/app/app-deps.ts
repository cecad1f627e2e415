import type { Engine } from '@duban/engine';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { AccountStore } from '../accounts/account-store.ts';
import type { SignInLimiters } from '../accounts/sign-in-throttle.ts';
import type { AuditKey } from '../audit/keys/audit-key.ts';
import type { AccessLog } from '../audit/access/access-log.ts';
import type { TokenAuthenticator } from '../auth/authenticate.ts';
import type { FileStore } from '../files/file-store.ts';
import type { UploadLimits } from '../files/receive-files.ts';
import { defaultUploadLimits } from '../files/receive-files.ts';
import type { NotificationStore } from '../notifications/notification-store.ts';
import type { ChannelStore } from '../notifications/channels/channel-store.ts';
import type { HeavyReads } from '../http/heavy-reads.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';
import type { PlanImporter } from '../plans/plan-importer.ts';
import type { PlanAmendments } from '../plans/plan-amendments.ts';
import type { PlanRecords } from '../plans/plan-records.ts';
import type { PlanReader } from '../reports/plan-reader.ts';
import type { TaskSearch } from '../tasks/task-search.ts';
import { BulkSender } from '../tasks/send-bulk.ts';
import { Inbox } from '../tasks/inbox.ts';
import type { ReportingCycles } from '../cycles/reporting-cycles.ts';
import { EventSender } from '../tasks/send-event.ts';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { Kysely } from 'kysely';
import type { TaskWatches } from '../tasks/task-watches.ts';
import type { CircularRegister } from '../reports/circular/circular-register.ts';
import { DEFAULT_CIRCULAR_PREFIX } from '../reports/circular/circular-register.ts';
import type { Clock } from '../time/clock.ts';
import type { UnitDirectory } from '../units/unit-directory.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { SessionStore } from '../web/session/session-store.ts';
import type { SingleSignOn } from '../sso/single-sign-on.ts';
import type { Duban } from './open-duban.ts';

export type { AuditKey } from '../audit/keys/audit-key.ts';

/** Everything the HTTP app needs, passed in; all of it exists whenever a server runs. */
export interface AppDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tokens: TokenAuthenticator;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly signInLimits: SignInLimiters;
  /** Sign-in through the OpenID provider `serve` was given (its routes answer 404 when it was given none). */
  readonly sso: SingleSignOn;
  readonly notifications: NotificationStore;
  /** Who gets notices by e-mail and the group robots, set by the office and admins. */
  readonly channels: ChannelStore;
  /** Where reads by reviewers, the office and admins are recorded. */
  readonly accessLog: AccessLog;
  /** The plan as of now and as of any instant. */
  readonly plans: PlanReader;
  /** Keyword search over the tasks' text: lists narrow by it (tasks/list-tasks.ts). */
  readonly search: TaskSearch;
  /** Evidence files: uploads, the bytes, their checks. */
  readonly files: FileStore;
  /** Each person's watch list (关注). */
  readonly watches: TaskWatches;
  /** The register of issued circulars (发文登记) and the deployment's number prefix (文号, e.g. 克改办通). */
  readonly circulars: CircularRegister;
  readonly circularPrefix: string;
  /** How large a file and a submission may be. */
  readonly uploadLimits: UploadLimits;
  /** The one way an event is sent, from the API and from the pages. */
  readonly events: EventSender;
  /** One event to many tasks, through `events`, idempotent as a whole. */
  readonly bulk: BulkSender;
  /** The office's 待办, from the report read model, worked out once per change and minute. */
  readonly inbox: Inbox;
  /** Each plan's reporting cycles (信息报送) and who reported in them. */
  readonly cycles: ReportingCycles;
  readonly rateLimit: RateLimiter;
  /** Replays, verifications and past-day reports wait for a turn here (http/heavy-reads.ts). */
  readonly heavyReads: HeavyReads;
  /** The unit registry as read from the database: resolves a unit name or alias (in `?unit=`, a filter, REASSIGN) to the name tasks carry. */
  readonly units: UnitDirectory;
  /** The unit registry's writes (the admin's, a plan import's settlement), each audited. */
  readonly unitStore: UnitStore;
  /** The plans as records (`GET /api/plans`, the plan selector). */
  readonly planRecords: PlanRecords;
  /** Previews and imports plans; settles unknown units through the database's UnitSettler. */
  readonly planImports: PlanImporter;
  /** A task added to a plan; a revised document compared with the plan and its chosen changes applied. */
  readonly planAmendments: PlanAmendments;
  /** `/audit/verify` and the audit page check the checkpoints' signatures with it. */
  readonly auditKey: AuditKey;
  /**
   * Express's `trust proxy`: a hop count, or addresses, subnets and names (loopback, …) separated by
   * commas, whose X-Forwarded-Proto and X-Forwarded-For are believed (Secure cookies, req.ip). Off when undefined.
   */
  readonly trustProxy: number | string | undefined;
}

/** The app's dependencies on an open database, with the server's clock, logger, audit key and proxy setting. */
export function appDeps(
  duban: Duban,
  edge: { clock: Clock; logger: Logger; auditKey: AuditKey; trustProxy?: number | string | undefined; uploadLimits?: UploadLimits | undefined; circularPrefix?: string | undefined },
): AppDeps {
  const events = new EventSender(duban.engine, edge.clock, duban.units, duban.files);
  return {
    engine: duban.engine,
    tokens: duban.tokens,
    accounts: duban.accounts,
    sessions: duban.sessions,
    signInLimits: duban.signInLimits,
    sso: duban.sso,
    notifications: duban.notifications,
    channels: duban.channels,
    accessLog: duban.accessLog,
    plans: duban.plans,
    search: duban.search,
    rateLimit: duban.rateLimit,
    heavyReads: duban.heavyReads,
    units: duban.units,
    unitStore: duban.unitStore,
    planRecords: duban.planRecords,
    planImports: duban.planImports,
    planAmendments: duban.planAmendments,
    files: duban.files,
    watches: duban.watches,
    circulars: duban.circulars,
    circularPrefix: edge.circularPrefix ?? DEFAULT_CIRCULAR_PREFIX,
    uploadLimits: edge.uploadLimits ?? defaultUploadLimits,
    events,
    inbox: new Inbox(duban.plans, duban.cycles),
    cycles: duban.cycles,
    bulk: new BulkSender(events, duban.engine.store.kysely as Kysely<ServerDatabase>, edge.clock),
    clock: edge.clock,
    logger: edge.logger,
    auditKey: edge.auditKey,
    trustProxy: edge.trustProxy,
  };
}

/** A route module: registers its routes on a router. */
export type RouteModule = (deps: AppDeps) => (router: Router) => void;
