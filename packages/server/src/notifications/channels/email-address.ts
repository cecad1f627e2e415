/** An e-mail address of the plain form `local@domain.tld`: ASCII, no spaces, quotes, commas or angle brackets. */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * The address trimmed, or undefined when it is not a plain mailbox address (a display name, a list, a
 * local part with dots at its ends or doubled are all refused: the mail goes to exactly this one). Pure.
 */
export function emailAddress(text: string): string | undefined {
  const address = text.trim();
  if (!ADDRESS.test(address)) return undefined;
  const local = address.slice(0, address.lastIndexOf('@'));
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return address;
}
