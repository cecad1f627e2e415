// Types of scripts/build.mjs, for the TypeScript that imports it (bench/, tests/).

/** The repository's root directory. */
export declare const repoRoot: string;
/** The `node` arguments that run the compiled CLI: `node ${COMPILED_CLI_ARGS.join(' ')} serve …`. */
export declare const COMPILED_CLI_ARGS: readonly string[];
/** The workspace packages with sources (absolute paths): every `packages/*` and `workflows/*` with a `src/`. */
export declare function packageDirs(): string[];
/**
 * Builds every package whose `dist/` is missing or stale (all with `force`); returns the packages
 * built, as paths relative to the repository (none when everything was current).
 */
export declare function build(options?: { force?: boolean; log?: (line: string) => void }): Promise<string[]>;
/** One stand-alone TypeScript file compiled to `outPath`, written whole or not at all. */
export declare function transpileFile(sourcePath: string, outPath: string): Promise<void>;
