import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import type { HttpProblem } from '../http/http-problem.ts';
import { invalidFields, problem } from '../http/problems.ts';
import { MARKUP_SCAN_BYTES, refusalOfContent, refusalOfName, refusalOfPolyglot, zipTypes } from './file-kinds.ts';
import type { FileStore, FileWriter, KeptFile, Upload } from './file-store.ts';
import { readZipDirectory } from './zip-directory.ts';

/** How much one submission may carry. */
export interface UploadLimits {
  /** Bytes one file may have (default 50 MiB). */
  readonly fileBytes: number;
  /** Bytes all files of one submission may have together (default 200 MiB). */
  readonly totalBytes: number;
  /** Files one submission may carry (default 20). */
  readonly files: number;
}

export const defaultUploadLimits: UploadLimits = { fileBytes: 50 * 1024 * 1024, totalBytes: 200 * 1024 * 1024, files: 20 };

/** Who is uploading: recorded with each upload, so an event may name only its own unit's files. */
export interface Uploader {
  readonly role: string;
  readonly unit: string | null;
}

/** What a caller may add to receiving a submission. */
export interface ReceiveOptions {
  /** Fills this map with the text fields as they arrive, so a refused submission still has what was typed. */
  readonly fields?: Map<string, string[]>;
  /** Runs on the fields sent before the first file (or on all of them when there is none); throws an HttpProblem to refuse before anything is stored. */
  readonly admit?: (fields: ReadonlyMap<string, readonly string[]>) => void;
}

/** A multipart submission received: its files kept, its text fields as sent. */
export interface ReceivedSubmission {
  readonly uploads: Upload[];
  readonly fields: Map<string, string[]>;
}

/** Bytes a chunk row holds; the sniffer sees the first chunk. */
const CHUNK_BYTES = 512 * 1024;
/** The last bytes kept of each file, where a zip keeps its directory. */
const TAIL_BYTES = 1024 * 1024;
const FIELD_BYTES = 100 * 1024;

/**
 * Receives a `multipart/form-data` request: each file streamed into the store chunk by chunk (never
 * whole in memory), its type judged by its bytes, its name and size checked, an archive's directory
 * read for macros and zip bombs. The submission is all or nothing: the first refusal (415 type, 413
 * size, 422 name, 400 cut off) drops every file of it, and only when all have arrived and passed are
 * they kept. Does IO.
 */
export function receiveFiles(req: Request, store: FileStore, uploader: Uploader, at: Date, limits: UploadLimits = defaultUploadLimits, options: ReceiveOptions = {}): Promise<ReceivedSubmission> {
  if (!req.is('multipart/form-data')) return Promise.reject(problem('notMultipart', `files are sent as multipart/form-data, not ${req.get('Content-Type') ?? 'absent'}`));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', preservePath: true, limits: { fileSize: limits.fileBytes, files: limits.files, fields: 200, fieldSize: FIELD_BYTES, parts: limits.files + 200 } });
    } catch {
      reject(problem('notMultipart', 'the multipart body has no boundary'));
      return;
    }
    const fields = options.fields ?? new Map<string, string[]>();
    let admitted = options.admit === undefined;
    // The fields before the first file (a form's hidden _csrf comes first) decide, before any byte is stored.
    const admit = (): boolean => {
      if (admitted) return true;
      admitted = true;
      try {
        options.admit?.(fields);
        return true;
      } catch (error) {
        fail(error as HttpProblem);
        return false;
      }
    };
    const received: { writer: FileWriter; content: KeptFile; name: string }[] = [];
    const writers: FileWriter[] = [];
    let failure: HttpProblem | undefined;
    let total = 0;
    let work = Promise.resolve();
    let settled = false;
    let active: Readable | undefined;

    const fail = (refusal: HttpProblem) => {
      failure ??= refusal;
      req.unpipe(parser);
      req.resume();
      // A file still streaming would wait for bytes that no longer come.
      active?.destroy();
      finish();
    };
    const finish = () => {
      work = work.then(async () => {
        if (settled) return;
        settled = true;
        if (failure !== undefined) {
          await Promise.allSettled(writers.map((w) => w.abort()));
          reject(failure);
          return;
        }
        try {
          const uploads: Upload[] = [];
          for (const r of received) uploads.push(await r.writer.finish(r.content, { name: r.name, role: uploader.role, unit: uploader.unit, at }));
          resolve({ uploads, fields });
        } catch (error) {
          await Promise.allSettled(writers.map((w) => w.abort()));
          reject(error);
        }
      });
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(invalidFields('body', [{ path: name, message: `内容过长（不超过 ${FIELD_BYTES / 1024} KB）` }]));
      else fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    parser.on('file', (field, stream, info) => {
      const name = info.filename ?? '';
      if (!admit()) {
        stream.resume();
        return;
      }
      if (name === '') {
        // A browser sends an empty, unnamed part for a file input left empty: no file. With bytes, a file without a name.
        stream.on('data', (data: Buffer) => {
          if (data.length > 0) fail(invalidFields('body', [{ path: `${field}.name`, message: '文件名不能为空' }]));
        });
        stream.resume();
        return;
      }
      const nameRefusal = refusalOfName(name);
      if (failure !== undefined || nameRefusal !== undefined) {
        stream.resume();
        if (nameRefusal !== undefined) fail(invalidFields('body', [{ path: `${field}.name`, message: `文件“${printable(name)}”：${nameRefusal}` }]));
        return;
      }
      const writer = store.writer(at);
      writers.push(writer);
      work = work.then(() => {
        active = stream;
        return receiveOne(stream, writer, limits, (bytes) => (total += bytes) > limits.totalBytes).then(
          (outcome) => {
            if ('refused' in outcome) fail(refusalProblem(outcome, name, limits));
            else received.push({ writer, content: outcome, name });
          },
          () => fail(problem('uploadIncomplete', `the upload of ${JSON.stringify(name)} was cut off`)),
        ).finally(() => {
          active = undefined;
        });
      });
    });
    parser.on('filesLimit', () => fail(problem('tooManyFiles', `at most ${limits.files} files may be sent at once`)));
    parser.on('partsLimit', () => fail(problem('tooManyFiles', `at most ${limits.files} files may be sent at once`)));
    parser.on('fieldsLimit', () => fail(invalidFields('body', [{ path: 'body', message: '表单字段过多' }])));
    parser.on('error', () => fail(problem('uploadIncomplete', 'the multipart body ended before its last part (cut off or malformed)')));
    parser.on('close', () => {
      if (admit()) finish();
    });
    req.on('aborted', () => fail(problem('uploadIncomplete', 'the client stopped sending the upload')));
    req.pipe(parser);
  });
}

type Refusal = { readonly refused: 'type' | 'file-size' | 'total-size'; readonly reason?: string };

/** Streams one file into its writer: hash, size, sniffed type and checks; refuses early on the first bad chunk. */
async function receiveOne(stream: Readable & { truncated?: boolean }, writer: FileWriter, limits: UploadLimits, overTotal: (bytes: number) => boolean): Promise<KeptFile | Refusal> {
  const hash = createHash('sha256');
  let size = 0;
  let crc = 0;
  let type: string | undefined;
  let sniffed = false;
  // One chunk's buffer for the whole file, filled and written again and again: a file costs the
  // server one chunk of memory, and no allocation a chunk (freed chunks fragment the heap, and RSS grows).
  const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let filled = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let head: Buffer | undefined;
  const flush = async (): Promise<Refusal | undefined> => {
    if (filled === 0) return undefined;
    const piece = chunk.subarray(0, filled);
    filled = 0;
    if (!sniffed) {
      sniffed = true;
      head = Buffer.from(piece.subarray(0, MARKUP_SCAN_BYTES));
      type = (await fileTypeFromBuffer(piece))?.mime;
      const refusal = refusalOfContent(type, piece.length, []);
      // Type refusals only here: the archive's directory is read once its end has arrived.
      if (refusal !== undefined && (type === undefined || !zipTypes.has(type))) return { refused: 'type', reason: refusal };
    }
    await writer.write(piece);
    return undefined;
  };
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      hash.update(data);
      crc = crc32(data, crc);
      size += data.length;
      if (stream.truncated === true || size > limits.fileBytes) return drained(stream, { refused: 'file-size' });
      if (overTotal(data.length)) return drained(stream, { refused: 'total-size' });
      tail.push(data);
      tailBytes += data.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
      for (let offset = 0; offset < data.length; ) {
        const copied = data.copy(chunk, filled, offset);
        filled += copied;
        offset += copied;
        if (filled < CHUNK_BYTES) continue;
        const refusal = await flush();
        if (refusal !== undefined) return drained(stream, refusal);
      }
    }
    if (stream.truncated === true) return { refused: 'file-size' };
    const refusal = await flush();
    if (refusal !== undefined) return refusal;
  } catch (error) {
    stream.resume();
    throw error;
  }
  const tailBuffer = Buffer.concat(tail, tailBytes);
  const directory = type === undefined ? undefined : readZipDirectory(tailBuffer.subarray(Math.max(0, tailBuffer.length - TAIL_BYTES)), size);
  const zip = type !== undefined && zipTypes.has(type) ? directory : undefined;
  const reason = refusalOfContent(type, size, zip) ?? refusalOfPolyglot(type!, head ?? Buffer.alloc(0), directory);
  if (reason !== undefined) return { refused: 'type', reason };
  return { sha256: hash.digest('hex'), size, type: type!, crc32: crc };
}

function drained<T>(stream: Readable, value: T): T {
  stream.resume();
  return value;
}

function refusalProblem(refusal: Refusal, name: string, limits: UploadLimits): HttpProblem {
  const file = `文件“${printable(name)}”`;
  switch (refusal.refused) {
    case 'file-size':
      return problem('fileTooLarge', `${name}: larger than ${limits.fileBytes} bytes`, { extensions: { errors: [{ path: 'file', message: `${file}超过单个文件上限 ${megabytes(limits.fileBytes)}` }] } });
    case 'total-size':
      return problem('fileTooLarge', `the submission is larger than ${limits.totalBytes} bytes`, { extensions: { errors: [{ path: 'file', message: `本次上传的文件合计超过上限 ${megabytes(limits.totalBytes)}` }] } });
    case 'type':
      return problem('unsupportedFile', `${name}: ${refusal.reason ?? 'refused'}`, { extensions: { errors: [{ path: 'file', message: `${file}：${refusal.reason}` }] } });
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A name as it may be shown in a message: control characters made visible, cut to 60 characters. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\u0000-\u001f\u007f]/g, '�');
  return [...shown].length > 60 ? `${[...shown].slice(0, 60).join('')}…` : shown;
}
