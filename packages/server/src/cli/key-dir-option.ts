/** `--key-dir`, else DUBAN_KEY_DIR: where the audit signing key lives (required for PostgreSQL). */
export function keyDirOption(value: string | undefined): string | undefined {
  const dir = value ?? process.env['DUBAN_KEY_DIR'];
  return dir === undefined || dir === '' ? undefined : dir;
}
