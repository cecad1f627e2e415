/** The most characters of a label a chart draws; the whole label is in the link's accessible name and title. */
export const LABEL_CHARS = 12;

/** A label cut to LABEL_CHARS characters (not UTF-16 units), with … when cut. Pure. */
export function shortLabel(label: string): string {
  const chars = [...label];
  return chars.length <= LABEL_CHARS ? label : `${chars.slice(0, LABEL_CHARS - 1).join('')}…`;
}
