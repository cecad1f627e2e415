import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the SMTP server received it, parsed. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  /** The raw message, to check the headers are encoded (no raw UTF-8 in them). */
  readonly raw: string;
}

/** A real SMTP server on a free loopback port (smtp-server), with the mails it was given, parsed with mailparser. */
export async function startSmtpServer(port = 0): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              raw: raw.toString('latin1'),
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP server that hangs: it accepts the connection and never says a word. */
export async function startHangingServer(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => void sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One POST a robot receiver got. */
export interface RobotRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly json: unknown;
}

/** A group robot's stand-in on loopback: answers `{"errcode":0,"errmsg":"ok"}`, or the errcode `answer` gives. */
export async function startRobotReceiver(port = 0, answer: () => number = () => 0): Promise<{ url: string; port: number; requests: RobotRequest[]; close(): Promise<void> }> {
  const requests: RobotRequest[] = [];
  const server: HttpServer = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ path: url.pathname, query: url.searchParams, contentType: String(req.headers['content-type']), json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      const errcode = answer();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errcode, errmsg: errcode === 0 ? 'ok' : 'token is invalid' }));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
