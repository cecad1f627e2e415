
/** Where mail goes: the SMTP relay the office runs or rents. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** Sign in with this user and password; anonymous relay when absent. */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** The sender, e.g. `督办系统 <duban@example.gov.cn>`. */
  readonly from: string;
  /** Require STARTTLS (refuse to send in clear); without it the connection stays plain (a relay on the same host or network). */
  readonly startTls: boolean;
  /** How long to wait for the connection, the greeting and each answer; 10 s, 10 s and 30 s by default. */
  readonly connectionTimeoutMs?: number;
  readonly greetingTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
}

/** Sends one e-mail; rejects with an Error saying what went wrong. */
export interface EmailSender {
  send(message: { readonly to: string; readonly subject: string; readonly text: string }): Promise<void>;
  close(): void;
}

/**
 * An EmailSender over SMTP with nodemailer: one connection per message, bounded by the connection,
 * greeting and socket timeouts, so a server that accepts and never greets fails the send instead of
 * holding it. Subject and body go as UTF-8 (encoded words, quoted-printable or base64 as nodemailer
 * chooses). nodemailer is loaded only here, so a server without SMTP does not load it. Does IO.
 */
export async function smtpEmailSender(settings: SmtpSettings): Promise<EmailSender> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: false,
    requireTLS: settings.startTls,
    ignoreTLS: !settings.startTls,
    ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.password ?? '' } }),
    connectionTimeout: settings.connectionTimeoutMs ?? 10_000,
    greetingTimeout: settings.greetingTimeoutMs ?? 10_000,
    socketTimeout: settings.socketTimeoutMs ?? 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    send: async ({ to, subject, text }) => {
      await transport.sendMail({ from: settings.from, to, subject, text, textEncoding: 'base64' });
    },
    close: () => transport.close(),
  };
}
