import type { Engine } from '@duban/engine';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { TokenAuthenticator } from './authenticate.ts';
import type { Clock } from './clock.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Everything the HTTP app needs, passed in. */
export interface AppDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tokens: TokenAuthenticator;
  readonly rateLimit: RateLimiter;
  /** Resolves a unit name or alias in `?unit=` to the name tasks carry; the name as given by default. */
  readonly units?: { canonical(name: string): string };
}

/** A route module: registers its routes on a router. */
export type RouteModule = (deps: AppDeps) => (router: Router) => void;
