// @ts-check
/**
 * `pnpm build`: compiles each workspace package's `src/` (TypeScript) into a sibling `dist/` of plain
 * ESM JavaScript for Node 20, file by file (no bundling), so that `pnpm start`, `demo`, `duban` and the
 * benchmarks' servers run without tsx. Tests and the typecheck keep using the sources.
 *
 * - Every `src/**\/*.ts` becomes `dist/**\/*.js` (esbuild `transform`: types stripped, nothing else
 *   changed; the project's tsconfig makes per-file transpiling safe: isolatedModules,
 *   verbatimModuleSyntax). Relative import specifiers ending in `.ts` become `.js`. Every other file
 *   under `src/` (the web assets) is copied beside them. `dist/` is a sibling of `src/`, so relative
 *   paths that reach out of the package (`../../../data/units.json`, the repository root) still hold.
 * - A package whose sources are unchanged since its last build (a hash of its sources and of this
 *   script, kept in `dist/.build-stamp`) is left alone: a `pnpm duban …` call costs a few milliseconds.
 * - A package is built into `dist.tmp-*` and then renamed to `dist/`, under a lock file, so neither
 *   a killed build nor two builds at once leave a half-written `dist/`; a deleted source never
 *   lingers in `dist/`.
 * - Workspace packages point the `duban-dist` export condition at `dist/index.js`:
 *   `node --conditions=duban-dist packages/server/dist/cli.js` runs only compiled files.
 *
 * Run as a program (`node scripts/build.mjs [--force] [--quiet]`) or import `build()`. Prints to
 * stderr only, and only when it builds something: stdout stays the program's (`pnpm duban report … > file`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The `node` arguments that run the compiled CLI: `node ${COMPILED_CLI_ARGS.join(' ')} serve …`. */
export const COMPILED_CLI_ARGS = ['--conditions=duban-dist', join(repoRoot, 'packages', 'server', 'dist', 'cli.js')];

const STAMP = '.build-stamp';
const LOCK = join(repoRoot, 'node_modules', '.duban-build.lock');

/** The workspace packages with sources: every `packages/*` and `workflows/*` with a `src/` directory. */
export function packageDirs() {
  const dirs = [];
  for (const group of ['packages', 'workflows']) {
    const base = join(repoRoot, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) dirs.push(dir);
    }
  }
  return dirs;
}

/** Files under `dir`, as sorted paths relative to it (forward slashes). */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'))
    .sort();
}

let ownHash;
/** What besides the sources decides the output: this script and the esbuild version. */
function toolHash() {
  if (ownHash === undefined) {
    const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
    ownHash = createHash('sha256')
      .update(readFileSync(fileURLToPath(import.meta.url)))
      .update(readFileSync(esbuildPackage))
      .digest('hex');
  }
  return ownHash;
}

/** A hash of a package's sources (names and contents) and the tools. */
function sourceHash(srcDir, files) {
  const hash = createHash('sha256').update(toolHash());
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(join(srcDir, file)));
  return hash.digest('hex');
}

function isFresh(distDir, hash) {
  try {
    return JSON.parse(readFileSync(join(distDir, STAMP), 'utf8')).hash === hash;
  } catch {
    return false;
  }
}

// Relative specifiers ending in .ts in the positions esbuild prints them: `import … from "./x.ts"`,
// `} from "./x.ts"` (a list over several lines), `import "./x.ts"`, `export … from "./x.ts"`, `import("./x.ts")`.
const STATIC_SPECIFIER = /^((?:import|export)\b[^\n]*?\bfrom\s*|\}\s*from\s*|import\s*)"(\.\.?\/[^"\n]*)\.ts"/gm;
const DYNAMIC_SPECIFIER = /(\bimport\(\s*)"(\.\.?\/[^"\n]*)\.ts"/g;
/** Any quoted relative path ending in .ts left in the output: each would be a failing import. */
const LEFT_OVER = /(["'`])\.\.?\/[^"'`\n]*\.ts\1/;
const JSON_WITHOUT_ATTRIBUTE = /^(?:import|export)\b[^\n]*?\bfrom\s*("[^"\n]*\.json")(?!\s*with\s*\{\s*type:\s*"json"\s*\})/m;

/**
 * One TypeScript file as Node 20 JavaScript: types stripped, relative `.ts` imports made `.js`.
 * Throws when a relative `.ts` path is left that is not in an import it could rewrite
 * (a computed import, an unusual layout) rather than write a program that fails when it runs.
 */
async function transpile(esbuild, source, sourcePath, outPath) {
  const result = await esbuild.transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20.10', // the first Node 20 with import attributes (`with { type: 'json' }`); esbuild drops them for older targets
    sourcefile: relative(dirname(outPath), sourcePath).split(sep).join('/'),
    sourcemap: 'external',
    sourcesContent: false,
    // As the project's tsconfig: keep every import that is not `import type` (a JSON import whose
    // value is unused still loads), class fields with [[Define]] semantics.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true, target: 'ES2023' } },
  });
  // `.ts` -> `.js` keeps every column, so the source map stays right.
  const rewrite = (_match, before, path) => `${before}"${path}.js"`;
  const code = result.code.replace(STATIC_SPECIFIER, rewrite).replace(DYNAMIC_SPECIFIER, rewrite);
  const left = LEFT_OVER.exec(code);
  if (left) throw new Error(`${relative(repoRoot, sourcePath)}: cannot rewrite ${left[0]} to .js (only literal relative imports are rewritten)`);
  // Node refuses a JSON import without its attribute; esbuild drops attributes it thinks the target lacks.
  const json = JSON_WITHOUT_ATTRIBUTE.exec(code);
  if (json) throw new Error(`${relative(repoRoot, sourcePath)}: the JSON import ${json[1]} lost its \`with { type: "json" }\``);
  return { code, map: result.map };
}

/** Every relative import specifier in `code` (after the rewrite): `./x.js`, `../../../data/units.json`. */
function relativeImports(code) {
  const paths = [];
  for (const pattern of [STATIC_SPECIFIER, DYNAMIC_SPECIFIER]) {
    const any = new RegExp(pattern.source.replace('\\.ts"', '"'), pattern.flags);
    for (const match of code.matchAll(any)) paths.push(match[2]);
  }
  return paths;
}

async function buildPackage(esbuild, dir, srcFiles, hash) {
  const srcDir = join(dir, 'src');
  const tmpDir = join(dir, `dist.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const outputs = new Map();
    await Promise.all(
      srcFiles.map(async (file) => {
        const from = join(srcDir, file);
        if (file.endsWith('.d.ts')) return;
        if (file.endsWith('.ts')) {
          const to = join(tmpDir, file.replace(/\.ts$/, '.js'));
          const { code, map } = await transpile(esbuild, readFileSync(from, 'utf8'), from, to);
          outputs.set(to, code);
          mkdirSync(dirname(to), { recursive: true });
          writeFileSync(to, `${code}//# sourceMappingURL=${file.split('/').at(-1)?.replace(/\.ts$/, '.js.map')}\n`);
          writeFileSync(`${to}.map`, map);
        } else {
          const to = join(tmpDir, file);
          mkdirSync(dirname(to), { recursive: true });
          writeFileSync(to, readFileSync(from));
        }
      }),
    );
    // Every relative import must name a file of this build, or one outside it that exists (data/units.json).
    for (const [file, code] of outputs) {
      for (const path of relativeImports(code)) {
        if (!existsSync(resolve(dirname(file), path))) throw new Error(`${relative(repoRoot, file)}: imports ${path}, which the build did not produce`);
      }
    }
    writeFileSync(join(tmpDir, STAMP), `${JSON.stringify({ hash, files: srcFiles.length })}\n`);
    // The swap: readers see the old dist/ or the new one, all but for the instant between two renames.
    const distDir = join(dir, 'dist');
    const oldDir = join(dir, `dist.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    if (existsSync(distDir)) renameSync(distDir, oldDir);
    renameSync(tmpDir, distDir);
    rmSync(oldDir, { recursive: true, force: true });
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * One stand-alone TypeScript file (no relative imports of other `.ts` files needed, e.g. the
 * benchmarks' bare Express baseline) compiled to `outPath`, written whole or not at all.
 */
export async function transpileFile(sourcePath, outPath) {
  const esbuild = await import('esbuild');
  const { code } = await transpile(esbuild, readFileSync(sourcePath, 'utf8'), sourcePath, outPath);
  mkdirSync(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, code);
  renameSync(tmp, outPath);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An exclusive lock across processes (a file holding the owner's pid); a dead owner's lock is taken over. */
async function withLock(run) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    let fd;
    try {
      fd = openSync(LOCK, 'wx');
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (lockIsStale()) {
        rmSync(LOCK, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build holds ${LOCK} (remove it if no build is running)`);
      await sleep(50);
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    try {
      return await run();
    } finally {
      unlinkSync(LOCK);
    }
  }
}

function lockIsStale() {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    // Written just now by a build that has not yet written its pid: not stale.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(LOCK).mtimeMs > 10_000;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: no such process. ENOENT: released meanwhile (try again).
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    return code === 'ESRCH';
  }
}

/**
 * Builds every package whose `dist/` is missing or stale (all with `force`). Returns the packages
 * built, as paths relative to the repository. Removes what killed builds left (`dist.tmp-*`, `dist.old-*`).
 */
export async function build({ force = false, log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`) } = {}) {
  const plan = () =>
    packageDirs().map((dir) => {
      const files = listFiles(join(dir, 'src'));
      return { dir, files, hash: sourceHash(join(dir, 'src'), files) };
    });
  // Fast path: nothing to do, no lock, no esbuild.
  if (!force && plan().every(({ dir, hash }) => isFresh(join(dir, 'dist'), hash))) return [];
  return withLock(async () => {
    const started = performance.now();
    const todo = plan().filter(({ dir, hash }) => force || !isFresh(join(dir, 'dist'), hash));
    for (const { dir } of todo) {
      for (const name of readdirSync(dir)) if (/^dist\.(tmp|old)-/.test(name)) rmSync(join(dir, name), { recursive: true, force: true });
    }
    if (todo.length === 0) return [];
    const esbuild = await import('esbuild');
    for (const { dir, files, hash } of todo) await buildPackage(esbuild, dir, files, hash);
    const built = todo.map(({ dir }) => relative(repoRoot, dir).split(sep).join('/'));
    log(`build: ${built.map((dir) => `${dir}/dist`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
    return built;
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--force' && arg !== '--quiet');
  if (unknown.length > 0) {
    process.stderr.write(`usage: node scripts/build.mjs [--force] [--quiet]\n`);
    process.exit(2);
  }
  build({ force: args.includes('--force'), ...(args.includes('--quiet') ? { log: () => {} } : {}) }).catch((error) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
