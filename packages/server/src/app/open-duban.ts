import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Engine, isPostgresUrl, openStore } from '@duban/engine';
import type { CommitHook, Store } from '@duban/engine';
import { PlanInputError, readUnitsFile } from '@duban/plan';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { cycleHook } from '../cycles/cycle-hook.ts';
import { ReportingCycles } from '../cycles/reporting-cycles.ts';
import { accountAccess } from '../accounts/account-access.ts';
import { AccountStore } from '../accounts/account-store.ts';
import type { SignInLimiters } from '../accounts/sign-in-throttle.ts';
import { SIGN_IN_LIMITS } from '../accounts/sign-in-throttle.ts';
import { AccessLog } from '../audit/access/access-log.ts';
import { TokenStore } from '../auth/token-store.ts';
import { poolSizeFromEnv } from '../db/pool-size.ts';
import { migrateServerSchema } from '../db/server-migrations.ts';
import type { ServerDatabase } from '../db/server-tables.ts';
import { AbandonedUploads } from '../files/abandoned-uploads.ts';
import { FileStore } from '../files/file-store.ts';
import { notificationHook } from '../notifications/notification-hook.ts';
import { NotificationStore } from '../notifications/notification-store.ts';
import { WebhookStore } from '../notifications/webhooks/webhook-store.ts';
import { ChannelStore } from '../notifications/channels/channel-store.ts';
import type { HeavyReadLimits } from '../http/heavy-reads.ts';
import { DEFAULT_HEAVY_READ_LIMITS, HeavyReads } from '../http/heavy-reads.ts';
import { DbRateLimiter } from '../rate-limit/db-rate-limiter.ts';
import { FixedWindowRateLimiter } from '../rate-limit/fixed-window-rate-limiter.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';
import { unlimited } from '../rate-limit/rate-limiter.ts';
import { CurrentPlan } from '../reports/current-plan.ts';
import { ReadModelCheckpoints } from '../reports/current-plan-checkpoint.ts';
import { workflows, workflowsModule } from './workflows.ts';
import { PlanReader } from '../reports/plan-reader.ts';
import { PlanHistory } from '../reports/past/plan-history.ts';
import { PlanImporter } from '../plans/plan-importer.ts';
import { PlanAmendments } from '../plans/plan-amendments.ts';
import { PlanRecords } from '../plans/plan-records.ts';
import { RegistrySettler } from '../plans/unit-settler.ts';
import { searchIndexHook } from '../tasks/search-index-hook.ts';
import { TaskSearch } from '../tasks/task-search.ts';
import { TaskWatches } from '../tasks/task-watches.ts';
import { CircularRegister } from '../reports/circular/circular-register.ts';
import { UserError } from '../user-error.ts';
import { organisationHook } from '../units/organisation-hook.ts';
import { OrganisationLog } from '../units/organisation-log.ts';
import { UnitDirectory } from '../units/unit-directory.ts';
import { UnitStore } from '../units/unit-store.ts';
import { SessionStore } from '../web/session/session-store.ts';
import { OidcSignOn, singleSignOnOff } from '../sso/single-sign-on.ts';
import type { SingleSignOn } from '../sso/single-sign-on.ts';
import type { SsoSettings } from '../sso/sso-settings.ts';
import { SsoStore } from '../sso/sso-store.ts';
import { createLogger } from './create-logger.ts';
import { repoPaths } from './repo-paths.ts';

/** An open duban database and everything built on it: what a server, a command or a test runs on. */
export interface Duban {
  readonly engine: Engine;
  readonly tokens: TokenStore;
  /** People's accounts. */
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  /** Sign-in attempts per address and per login name (shared in the database on PostgreSQL). */
  readonly signInLimits: SignInLimiters;
  /** Sign-in through an OpenID provider; off unless `OpenOptions.sso` names one. */
  readonly sso: SingleSignOn;
  readonly notifications: NotificationStore;
  readonly webhooks: WebhookStore;
  /** Who gets notices by which channel (mailbox, robots, persons' e-mail). */
  readonly channels: ChannelStore;
  /** Whether robot URLs may point at loopback over http (tests and development only). */
  readonly allowLoopbackRobots: boolean;
  readonly accessLog: AccessLog;
  /** Evidence files, content-addressed in the database. */
  readonly files: FileStore;
  /** Removes the chunks of uploads a killed server left unfinished, once older than the safe age (`serve` sweeps at start and every 10 minutes). */
  readonly abandonedUploads: AbandonedUploads;
  /** The plan as of now (from the report read model) and as of any instant (replayed). */
  readonly plans: PlanReader;
  /** Keyword search over the tasks' text (FTS5 trigram / pg_trgm), its index kept in each transition's transaction. */
  readonly search: TaskSearch;
  /** Each person's watch list (关注). */
  readonly watches: TaskWatches;
  /** The register of issued circulars (发文登记). */
  readonly circulars: CircularRegister;
  /** Requests per token per minute, for the database at hand: shared in the database on PostgreSQL, where several servers serve one. */
  readonly rateLimit: RateLimiter;
  /** The one limit on replays, verifications and past-day reports running at once. */
  readonly heavyReads: HeavyReads;
  /** The unit registry as this server reads it (from the database, refreshed when it changes): names and aliases resolve to the names tasks carry. */
  readonly units: UnitDirectory;
  /** The unit registry's writes, each audited. */
  readonly unitStore: UnitStore;
  /** The plans as records: title, year, issuer, settings, source file. */
  readonly planRecords: PlanRecords;
  /** Each plan's reporting cycles (信息报送): settings, who reported in which cycle, the parts 未报. */
  readonly cycles: ReportingCycles;
  /** Previews and imports plan files (the API, the pages, `plan import`, `serve --plan`); settles unknown units through the registry's store. */
  readonly planImports: PlanImporter;
  /** A plan's amendments after its import: a task added, a revised document compared and applied. */
  readonly planAmendments: PlanAmendments;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Create a SQLite file that does not exist (else refuse it rather than create it empty). */
  readonly create: boolean;
  /** Requests per token per minute; 0 or absent: no limit. */
  readonly rateLimit?: number;
  /** Heavy reads at once and waiting; by default 2 and 6. */
  readonly heavyReads?: HeavyReadLimits;
  /** Where the access log reports failed writes and the abandoned uploads' sweep what it removed; silent by default. */
  readonly logger?: Logger;
  /** The largest plan file an import takes; 20 MB by default. */
  readonly planMaxBytes?: number;
  /** Tests and development only: let group-robot URLs point at loopback receivers, over http too. */
  readonly allowLoopbackRobots?: boolean;
  /** Runs in every transition's transaction, after the notifications are written (the checkpoint issuer counts commits). */
  readonly onCommit?: CommitHook;
  /** The units file a database with no units yet is seeded from; data/units.json by default; null: none (a copy's target). */
  readonly unitsFile?: string | null | undefined;
  /** How long the unit registry read is trusted before its version is checked again (ms); 1000 by default. */
  readonly unitsMaxAgeMs?: number;
  /** The OpenID provider people may sign in through; none by default. */
  readonly sso?: SsoSettings | undefined;
}

/**
 * The composition root: opens the database at `location` (a SQLite file, a `postgres://` URL or
 * `:memory:`), runs the engine's and the server's migrations, and builds the engine with the
 * reform-task workflow and the notification hook, every store, the report read model and the rate
 * limiter. `run-server`, every CLI command and every test server start here. Does IO; UserError with
 * a message for people when the database cannot be opened or prepared.
 */
export async function openDuban(location: string, options: OpenOptions): Promise<Duban> {
  if (!isPostgresUrl(location) && location !== ':memory:') {
    const file = resolve(location);
    if (!existsSync(file)) {
      if (!options.create) throw new UserError(`no database at ${file} (start one with: duban serve --db ${location})`);
      mkdirSync(dirname(file), { recursive: true });
      // Owner-only from the first byte: the database holds webhook secrets and token hashes, and
      // SQLite creates its -wal and -shm files with the database file's permissions.
      closeSync(openSync(file, 'wx', 0o600));
    }
  }
  let store: Store;
  try {
    store = await openStore(location, poolSizeFromEnv());
  } catch (error) {
    throw new UserError(`cannot open the database ${redactUrl(location)}: ${describe(error)}`);
  }
  try {
    await migrateServerSchema(store.kysely, store.dialect);
  } catch (error) {
    await store.close();
    throw new UserError(`cannot prepare the database ${redactUrl(location)}: ${describe(error)}`);
  }
  const db = store.kysely as Kysely<ServerDatabase>;
  // Notifications, the search index, the organisation's changes to the units and the reports and notices of the reporting cycles are written in the transaction of the entry that causes them.
  const engine = new Engine(store, workflows, { workflowsModule, onCommit: organisationHook(notificationHook(cycleHook(searchIndexHook(store.dialect, options.onCommit)))) });
  const units = new UnitDirectory(db, options.unitsMaxAgeMs);
  const organisation = new OrganisationLog(engine);
  const unitStore = new UnitStore(db, organisation, units);
  try {
    const file = options.unitsFile === undefined ? repoPaths.unitsFile : options.unitsFile;
    if (file === null) await units.refresh(true);
    else await unitStore.seedIfEmpty(() => readUnitsFile(file));
  } catch (error) {
    await store.close();
    if (error instanceof PlanInputError) throw new UserError(`cannot seed the unit registry: ${error.message}`);
    throw error;
  }
  const limit = options.rateLimit ?? 0;
  const tokens = new TokenStore(db);
  const accounts = new AccountStore(db, units, accountAccess(tokens), organisation);
  const planRecords = new PlanRecords(db);
  const planImports = new PlanImporter(engine, planRecords, units, new RegistrySettler(unitStore), options.planMaxBytes);
  const limiter = (max: number, windowMs: number): RateLimiter => (store.dialect === 'postgres' ? new DbRateLimiter(db, max, windowMs) : new FixedWindowRateLimiter(max, windowMs));
  return {
    engine,
    tokens,
    accounts,
    sessions: new SessionStore(db, {
      tokenPrincipal: (id, at) => tokens.principalOf(id, at),
      accountPrincipal: async (id) => {
        const account = await accounts.get(id);
        const principal = account === undefined ? undefined : await accounts.principalOf(id);
        return principal === undefined ? undefined : { principal, mustChangePassword: account!.mustChangePassword };
      },
    }),
    sso: options.sso === undefined ? singleSignOnOff : new OidcSignOn(options.sso, new SsoStore(db), accounts),
    signInLimits: { address: limiter(SIGN_IN_LIMITS.perAddress, SIGN_IN_LIMITS.addressWindowMs), account: limiter(SIGN_IN_LIMITS.perAccount, SIGN_IN_LIMITS.accountWindowMs) },
    notifications: new NotificationStore(db),
    webhooks: new WebhookStore(db),
    channels: new ChannelStore(db, units, { allowLoopback: options.allowLoopbackRobots ?? false }),
    allowLoopbackRobots: options.allowLoopbackRobots ?? false,
    accessLog: new AccessLog(db, options.logger ?? createLogger({ level: 'silent' })),
    files: new FileStore(db, store.dialect),
    abandonedUploads: new AbandonedUploads(db, options.logger ?? createLogger({ level: 'silent' })),
    plans: new PlanReader(engine, new CurrentPlan(engine, new ReadModelCheckpoints(db)), 1, new PlanHistory(engine, db)),
    search: new TaskSearch(db, store.dialect, engine),
    watches: new TaskWatches(db),
    circulars: new CircularRegister(db, store.dialect),
    rateLimit: limit <= 0 ? unlimited : store.dialect === 'postgres' ? new DbRateLimiter(db, limit) : new FixedWindowRateLimiter(limit),
    heavyReads: new HeavyReads(options.heavyReads ?? DEFAULT_HEAVY_READ_LIMITS),
    units,
    unitStore,
    planRecords,
    cycles: new ReportingCycles(engine, db),
    planImports,
    planAmendments: new PlanAmendments(engine, planRecords, units, planImports),
    close: () => engine.close(),
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}

/** A database URL without its password, for messages. */
export function redactUrl(location: string): string {
  return location.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
