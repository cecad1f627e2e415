import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Role } from '../auth/role.ts';
import { roles } from '../auth/role.ts';
import type { TokenStore } from '../auth/token-store.ts';

const tokensFile = z.strictObject({
  note: z.string(),
  url: z.string(),
  tokens: z.array(z.strictObject({ id: z.number().int(), role: z.enum(roles), unit: z.string().nullable(), label: z.string(), token: z.string() })),
});

export type StarterTokens = z.output<typeof tokensFile>;

/**
 * The tokens `start` hands out (admin, office, reviewer, one per lead unit), kept in a git-ignored
 * file readable by its owner only (0600). Reused while every token in it still authenticates;
 * otherwise (a new database, a revoked token) a fresh set is issued and the file rewritten. Does IO.
 */
export async function ensureStarterTokens(file: string, tokens: TokenStore, leadUnits: readonly string[], url: string, at: Date): Promise<{ tokens: StarterTokens; reused: boolean }> {
  const existing = readTokensFile(file);
  if (existing !== undefined && existing.tokens.length > 0) {
    const live = await Promise.all(existing.tokens.map(async (t) => (await tokens.authenticate(t.token, at))?.tokenId === t.id));
    if (live.every(Boolean)) {
      const updated = { ...existing, url };
      writeTokensFile(file, updated);
      return { tokens: updated, reused: true };
    }
  }
  const wanted: { role: Role; unit: string | null; label: string }[] = [
    { role: 'admin', unit: null, label: 'start: admin' },
    { role: 'office', unit: null, label: 'start: 领导小组办公室' },
    { role: 'reviewer', unit: null, label: 'start: 问责审查' },
    ...[...new Set(leadUnits)].map((unit) => ({ role: 'unit' as const, unit, label: `start: ${unit}` })),
  ];
  const issued: StarterTokens['tokens'] = [];
  for (const spec of wanted) {
    const { token, record } = await tokens.create(spec, at);
    issued.push({ id: record.id, role: spec.role, unit: spec.unit, label: spec.label, token });
  }
  const created: StarterTokens = { note: 'duban API tokens issued by `pnpm start`. Secret: do not commit or share. Send as Authorization: Bearer <token>.', url, tokens: issued };
  writeTokensFile(file, created);
  return { tokens: created, reused: false };
}

function readTokensFile(file: string): StarterTokens | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = tokensFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function writeTokensFile(file: string, contents: StarterTokens): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file.
  chmodSync(file, 0o600);
}
