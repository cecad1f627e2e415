import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory (this file is packages/server/src/app/repo-paths.ts, or its compiled packages/server/dist/app/repo-paths.js). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where `start` and `demo` keep their databases and secrets: data/, or DUBAN_DATA_DIR (for tests). */
const dataDir = resolve(process.env['DUBAN_DATA_DIR'] ?? join(repoRoot, 'data'));

/** Fixed places of `start` and `demo`. */
export const repoPaths = {
  dataDir,
  startDb: join(dataDir, 'duban.db'),
  /** Anchors the plan's calendar to real time for `start` (see plan-clock.ts). */
  startClock: join(dataDir, 'duban.clock.json'),
  demoDb: join(dataDir, 'demo.db'),
  startTokens: join(dataDir, 'secrets', 'tokens.json'),
  /** The units a new database starts with (`serve --units FILE` names another). */
  unitsFile: join(repoRoot, 'data', 'units.json'),
  /** The parsed sample plan (data/plans), always from the repository. */
  samplePlan: join(repoRoot, 'data', 'plans', 'karamay-2023-fangguanfu.json'),
};
