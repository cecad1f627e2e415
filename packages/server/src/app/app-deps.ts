import type { KeyObject } from 'node:crypto';
import type { Engine } from '@duban/engine';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { AccessLog } from '../audit/access/access-log.ts';
import type { TokenAuthenticator } from '../auth/authenticate.ts';
import type { Clock } from '../time/clock.ts';
import type { CurrentPlan } from '../reports/current-plan.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';

/** Everything the HTTP app needs, passed in. */
export interface AppDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tokens: TokenAuthenticator;
  readonly rateLimit: RateLimiter;
  /** Resolves a unit name or alias in `?unit=` to the name tasks carry; the name as given by default. */
  readonly units?: { canonical(name: string): string };
  /** The audit log's name and the public key its checkpoints are verified with; without it `/audit/verify` checks the hash chain only. */
  readonly auditKey?: { readonly origin: string; readonly publicKey: KeyObject };
  /** Where reads by reviewers, the office and admins are recorded; createApp makes one on the engine's database if not given. */
  readonly accessLog?: AccessLog;
  /** The read model of reports as of now; createApp makes one on the engine if not given. */
  readonly currentPlan?: CurrentPlan;
  /**
   * Express's `trust proxy`: a hop count, or addresses, subnets and names (loopback, …) separated by
   * commas, whose X-Forwarded-Proto and X-Forwarded-For are believed (Secure cookies, req.ip). Off when absent.
   */
  readonly trustProxy?: number | string;
}

/** A route module: registers its routes on a router. */
export type RouteModule = (deps: AppDeps) => (router: Router) => void;
