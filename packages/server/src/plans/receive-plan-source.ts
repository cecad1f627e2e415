import busboy from 'busboy';
import type { Request } from 'express';
import { jsonShapeIssue } from '../http/json-shape.ts';
import { invalidFields, problem } from '../http/problems.ts';
import type { PlanSource } from './plan-importer.ts';

/** A plan received over HTTP: the file (or the Plan JSON, as a file named `plan.json`) and the other fields as sent. */
export interface ReceivedPlan {
  readonly source: PlanSource | undefined;
  /** Multipart text fields (strings), or the JSON body's other members (any JSON). */
  readonly fields: Readonly<Record<string, unknown>>;
}

const FIELD_BYTES = 100 * 1024;
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Reads a plan upload: `multipart/form-data` with one file part named `file` (held in memory: a plan
 * is at most `maxBytes`, and the reader needs it whole) and text fields; or a JSON body, either Plan
 * JSON itself or `{ "plan": Plan JSON, …fields }`. A text field may hold `fieldBytes` (100 KiB by
 * default; the 导入计划 page posts the previewed file back in one). 413 past `maxBytes`, 415 for another body type,
 * 400 for a body cut off. The file's type and contents are judged by the plan reader. Does IO.
 */
export async function receivePlanSource(req: Request, maxBytes: number, fieldBytes: number = FIELD_BYTES): Promise<ReceivedPlan> {
  if (req.is(JSON_TYPES)) return receiveJson(req, maxBytes);
  if (!req.is('multipart/form-data')) {
    throw problem('notMultipart', `a plan is sent as multipart/form-data (field "file") or as Plan JSON, not ${req.get('Content-Type') ?? 'absent'}`);
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 200, fieldSize: fieldBytes } });
    } catch {
      reject(problem('notMultipart', 'the multipart body has no boundary'));
      return;
    }
    const fields: Record<string, string> = {};
    let source: PlanSource | undefined;
    let failure: Error | undefined;
    let reading = Promise.resolve();
    const fail = (error: Error) => {
      if (failure !== undefined) return;
      failure = error;
      req.unpipe(parser);
      req.resume();
      // Answer once the rest is read and dropped: a client still sending when the answer comes would see its connection reset, not the 413.
      if (req.complete) reject(failure);
      else {
        req.once('end', () => reject(failure));
        req.once('close', () => reject(failure));
      }
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(invalidFields('body', [{ path: name, message: `内容过长（不超过 ${Math.floor(fieldBytes / 1024)} KB）` }]));
      else fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        fail(invalidFields('body', [{ path: field, message: '计划文件须放在名为 file 的字段中' }]));
        return;
      }
      const chunks: Buffer[] = [];
      reading = new Promise<void>((done) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => fail(problem('fileTooLarge', `the plan file is larger than ${maxBytes} bytes`, { extensions: { errors: [{ path: 'file', message: `计划文件不能超过 ${(maxBytes / 1024 / 1024).toFixed(1)} MB` }] } })));
        stream.on('end', () => {
          source = { bytes: Buffer.concat(chunks), fileName: info.filename ?? '' };
          done();
        });
      });
    });
    parser.on('filesLimit', () => fail(invalidFields('body', [{ path: 'file', message: '一次只能导入一个计划文件' }])));
    parser.on('fieldsLimit', () => fail(invalidFields('body', [{ path: 'body', message: '表单字段过多' }])));
    parser.on('error', () => fail(problem('uploadIncomplete', 'the multipart body ended before its last part (cut off or malformed)')));
    parser.on('close', () => {
      void reading.then(() => {
        if (failure === undefined) resolve({ source, fields });
      });
    });
    req.on('aborted', () => fail(problem('uploadIncomplete', 'the client stopped sending the upload')));
    req.pipe(parser);
  });
}

async function receiveJson(req: Request, maxBytes: number): Promise<ReceivedPlan> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw problem('bodyTooLarge', `the Plan JSON is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw problem('malformedJson', 'the request body is not well-formed JSON (Plan JSON, or { "plan": Plan JSON, … } is expected)');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidFields('body', [{ path: 'body', message: '须为计划 JSON 对象' }]);
  const issue = jsonShapeIssue(body);
  if (issue !== undefined) throw invalidFields('body', [issue]);
  const { plan, ...fields } = body as Record<string, unknown>;
  // A bare Plan JSON (it has `tasks`) is the plan itself; otherwise the plan is its `plan` member.
  const json = 'tasks' in (body as object) ? body : plan;
  if (json === undefined) return { source: undefined, fields };
  return { source: { bytes: Buffer.from(JSON.stringify(json), 'utf8'), fileName: 'plan.json' }, fields: 'tasks' in (body as object) ? {} : fields };
}
