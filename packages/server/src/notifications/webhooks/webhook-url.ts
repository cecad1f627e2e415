/**
 * A webhook URL checked: absolute http: or https:, with a host and no user name or password (the
 * secret goes in --secret, not in the URL). Returns it normalised; throws an Error saying what is
 * wrong otherwise. Pure.
 */
export function webhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`the webhook URL ${JSON.stringify(text)} is not an absolute URL such as http://127.0.0.1:8080/hook`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`the webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}: ${JSON.stringify(text)}`);
  }
  if (url.hostname === '') throw new Error(`the webhook URL has no host: ${JSON.stringify(text)}`);
  if (url.username !== '' || url.password !== '') throw new Error('the webhook URL must not carry a user name or password; the receiver checks X-Duban-Signature instead');
  if (url.hash !== '') throw new Error(`the webhook URL must not have a #fragment: ${JSON.stringify(text)}`);
  if (url.href.length > 2000) throw new Error('the webhook URL is longer than 2000 characters');
  return url.href;
}
