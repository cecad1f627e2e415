// Asia/Shanghai has kept UTC+8 without daylight saving since 1991.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function shifted(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
}

/** `2023-05-15 09:00` in Asia/Shanghai, from an ISO instant or epoch ms. Pure. */
export function shanghaiDateTime(instant: string | number): string {
  const iso = shifted(instant);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** `2023-05-15` in Asia/Shanghai. Pure. */
export function shanghaiDay(instant: string | number): string {
  return shifted(instant).slice(0, 10);
}

/** `2023-05-15T09:00:00+08:00`: an instant as Asia/Shanghai readers see it, machine-readable. Pure. */
export function shanghaiIso(instant: string | number): string {
  return `${shifted(instant).slice(0, 19)}+08:00`;
}
