import type { Engine, Json, SendOptions, SendResult } from '@duban/engine';
import type { UnitRegistry } from '@duban/plan';
import type { FieldIssue } from '../http/http-problem.ts';
import type { Principal } from '../auth/principal.ts';
import { actorOf, callerKey } from '../auth/principal.ts';
import { invalidFields, problem } from '../http/problems.ts';
import { requestFingerprint } from '../http/request-fingerprint.ts';
import type { FileStore, Upload } from '../files/file-store.ts';
import type { Clock } from '../time/clock.ts';
import { findVisibleTask } from './find-visible-task.ts';
import { recordedFiles } from '../files/task-files.ts';
import { SingleFlight } from './single-flight.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/** One event for one task, as the API's JSON or a page's form asks for it. */
export interface EventRequest {
  readonly taskId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly principal: Principal;
  /** Refuse with 412 (VersionConflict) unless the task is at this version (If-Match, a form's version). */
  readonly expectedVersion?: number | undefined;
  /**
   * The caller's key for this request (Idempotency-Key, a form's key) and what it is bound to (method
   * and path): a retry with the same key and the same request gets the first answer, another request
   * with it a 422.
   */
  readonly idempotency?: { readonly key: string; readonly method: string; readonly path: string; readonly body: Json } | undefined;
}

/**
 * The one way an event reaches the engine, from the API and from the pages: the caller's principal
 * as actor, the server's clock, visibility checked inside the send (an unknown task and one the caller
 * may not see are the same 404), If-Match, and idempotency keys bound to the caller's token (two
 * tokens may use the same key), with concurrent retries joined onto one run. Unit names an event
 * names (REASSIGN's lead units, AMEND's lead and responsible units) resolve through the unit registry
 * first: aliases to the names tasks carry; unknown names refused (422), and collectives as lead units;
 * AMEND's collectives get their members from the registry. Does IO.
 */
export class EventSender {
  private readonly flights = new SingleFlight<SendResult>();

  constructor(
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly units: Pick<UnitRegistry, 'get'>,
    private readonly files: Pick<FileStore, 'uploads' | 'ownUpload'>,
  ) {}

  async send(request: EventRequest): Promise<SendResult> {
    const { principal } = request;
    if (principal.role === 'reviewer') throw problem('forbidden', 'reviewers have read-only access and may send no event');
    const at = this.clock.now();
    const options: SendOptions = { onlyIfVisible: true, ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }) };
    const named = request.type === 'REASSIGN' ? this.withRegisteredLeads(request.payload) : request.type === 'AMEND' ? this.withRegisteredUnits(request.payload) : request.type === 'COMMENT' ? this.withAskedMembers(request.payload) : request.payload;
    // A task the caller may not see is the engine's 404, whatever files the payload names.
    const namesFiles = named['attachments'] !== undefined || named['supersedes'] !== undefined;
    const visible = !namesFiles || (await findVisibleTask(this.engine, request.taskId, actorOf(principal))) !== undefined;
    const payload = visible ? await this.withSupersessions(await this.withUploads(named, principal), request.taskId, principal) : named;
    const send = (extra: SendOptions = {}) => this.engine.send(request.taskId, { type: request.type, payload }, actorOf(principal), at, { ...options, ...extra });
    const { idempotency } = request;
    if (idempotency === undefined) return send();
    const idempotencyKey = principal.tokenId > 0 ? `${principal.tokenId}:${idempotency.key}` : `${callerKey(principal)}:${idempotency.key}`;
    const fingerprint = requestFingerprint(idempotency.method, idempotency.path, idempotency.body);
    return this.flights.run(idempotencyKey, fingerprint, () => send({ idempotencyKey, fingerprint }));
  }

  /**
   * `attachments` as the caller names them — each the SHA-256 of a file it uploaded
   * (`POST /api/tasks/:id/attachments`) or `{ "file": <upload id> }` (`POST /api/files`, a form's
   * files) — turned into what the log keeps of each file: its SHA-256, size, type and name. A file
   * never uploaded, or uploaded by another unit (or another role), is refused with 422 naming the
   * entry, alike, so nobody learns of another unit's files. Does IO.
   */
  private async withUploads(payload: Record<string, unknown>, principal: Principal): Promise<Record<string, unknown>> {
    const { attachments } = payload;
    if (attachments === undefined) return payload;
    const refused = (path: string, message: string) => invalidFields('body', [{ path, message }], 'invalidPayload');
    if (!Array.isArray(attachments)) throw refused('attachments', '须为文件列表：每项为上传所得的 SHA-256，或 { "file": 上传编号 }');
    const uploader = { role: principal.role, unit: principal.role === 'unit' ? principal.unit : null };
    const issues: FieldIssue[] = [];
    const resolved = [];
    for (const [index, item] of attachments.entries()) {
      const upload = await this.uploadNamed(item, uploader);
      if (upload === 'malformed') issues.push({ path: `attachments.${index}`, message: '请先上传文件，再以上传所得的 SHA-256 或 { "file": 上传编号 } 引用' });
      else if (upload === undefined) issues.push({ path: `attachments.${index}`, message: '文件不存在，或不是本单位上传的' });
      else resolved.push({ sha256: upload.sha256, name: upload.name, size: upload.size, type: upload.type });
    }
    if (issues.length > 0) throw invalidFields('body', issues, 'invalidPayload');
    return { ...payload, attachments: resolved };
  }

  /**
   * COMMENT's `supersedes`: each file withdrawn must be one of the task's files, not withdrawn
   * before, and, for a unit, one its own unit attached (the office may withdraw any). Refused with
   * 422 naming the entry; anything not a list of objects is left for the workflow's schema. Does IO.
   */
  private async withSupersessions(payload: Record<string, unknown>, taskId: string, principal: Principal): Promise<Record<string, unknown>> {
    const { supersedes } = payload;
    if (!Array.isArray(supersedes) || supersedes.length === 0) return payload;
    const history = await this.engine.history(taskId);
    const withdrawn = new Set(history.flatMap((entry) => (entry.type === 'COMMENT' && Array.isArray(entry.payload['supersedes']) ? (entry.payload['supersedes'] as { sha256?: unknown }[]).map((item) => item.sha256) : [])));
    const files = history.flatMap((entry) => recordedFiles(entry).map((file) => ({ sha256: file.sha256, by: entry.actor })));
    const issues: FieldIssue[] = [];
    for (const [index, item] of supersedes.entries()) {
      const sha256 = (item as { sha256?: unknown } | null)?.sha256;
      if (typeof sha256 !== 'string') continue;
      const attached = files.filter((file) => file.sha256 === sha256);
      const own = principal.role === 'unit' ? attached.filter((file) => file.by.role === 'unit' && file.by.unit === principal.unit) : attached;
      if (own.length === 0) issues.push({ path: `supersedes.${index}.sha256`, message: '本任务没有这个文件，或不是本单位提交的' });
      else if (withdrawn.has(sha256)) issues.push({ path: `supersedes.${index}.sha256`, message: '这个文件已经作废' });
    }
    if (issues.length > 0) throw invalidFields('body', issues, 'invalidPayload');
    return payload;
  }

  /** The caller's own upload an attachment names, undefined when there is none of theirs, 'malformed' for neither form. */
  private async uploadNamed(item: unknown, uploader: { readonly role: string; readonly unit: string | null }): Promise<Upload | undefined | 'malformed'> {
    if (typeof item === 'string') return SHA256.test(item) ? this.files.ownUpload(item, uploader) : 'malformed';
    const id = (item as { file?: unknown } | null)?.file;
    if (item === null || typeof item !== 'object' || Object.keys(item).length !== 1 || typeof id !== 'string') return 'malformed';
    const upload = (await this.files.uploads([id])).get(id);
    return upload !== undefined && upload.role === uploader.role && upload.unit === uploader.unit ? upload : undefined;
  }

  /**
   * REASSIGN's `leadUnits` by the registry's names (an alias becomes the unit's name, a repeat is
   * dropped). A name the registry does not know, or a collective (各区人民政府 stands for several
   * units, none of which could sign as its lead), is refused with 422 naming the entry. Anything
   * not a list of strings is left for the workflow's schema to refuse.
   */
  /**
   * A question put to a collective (各区人民政府) asks each of its members: the entry names the members,
   * so each leaves the question when it answers (no unit ever writes as the collective itself). A name
   * that is no collective stays as written, for the machine's check. Pure but for the registry.
   */
  private withAskedMembers(payload: Record<string, unknown>): Record<string, unknown> {
    const { ask } = payload;
    if (!Array.isArray(ask) || !ask.every((name): name is string => typeof name === 'string')) return payload;
    const members = ask.flatMap((name) => {
      const unit = this.units.get(name);
      return unit?.kind === 'collective' && unit.members !== undefined && unit.members.length > 0 ? unit.members : [name];
    });
    return members.length === ask.length && members.every((name, index) => name === ask[index]) ? payload : { ...payload, ask: [...new Set(members)] };
  }

  private withRegisteredLeads(payload: Record<string, unknown>): Record<string, unknown> {
    const leads = this.registered(payload['leadUnits'], 'leadUnits', true);
    if (leads.issues.length > 0) throw invalidFields('body', leads.issues, 'invalidPayload');
    return leads.names === undefined ? payload : { ...payload, leadUnits: leads.names };
  }

  /**
   * AMEND: its `leadUnits` as REASSIGN's, its `responsibleUnits` by the registry's names (collectives
   * allowed there), and `collectives` set by the server to the members of each collective either
   * list names (whatever the caller sent under that name is replaced).
   */
  private withRegisteredUnits(payload: Record<string, unknown>): Record<string, unknown> {
    const leads = this.registered(payload['leadUnits'], 'leadUnits', true);
    const responsible = this.registered(payload['responsibleUnits'], 'responsibleUnits', false);
    const issues = [...leads.issues, ...responsible.issues];
    if (issues.length > 0) throw invalidFields('body', issues, 'invalidPayload');
    if (leads.names === undefined && responsible.names === undefined) return payload;
    const named = [...(leads.names ?? []), ...(responsible.names ?? [])];
    const collectives = Object.fromEntries(
      named.flatMap((name) => {
        const members = this.units.get(name)?.members ?? [];
        return members.length > 0 ? [[name, [...members]]] : [];
      }),
    );
    return {
      ...payload,
      ...(leads.names === undefined ? {} : { leadUnits: leads.names }),
      ...(responsible.names === undefined ? {} : { responsibleUnits: responsible.names }),
      collectives,
    };
  }

  /** A list of unit names as the registry has them, each once, and the issues of those it refuses; `names` undefined for anything not a list of strings. */
  private registered(written: unknown, field: string, leads: boolean): { names: string[] | undefined; issues: FieldIssue[] } {
    if (!Array.isArray(written) || !written.every((name): name is string => typeof name === 'string')) return { names: undefined, issues: [] };
    const issues: FieldIssue[] = [];
    const names = written.map((name, index) => {
      const unit = this.units.get(name.trim());
      if (unit === undefined) issues.push({ path: `${field}.${index}`, message: `单位“${name.trim()}”不在单位名录中，请核对名称` });
      else if (leads && unit.kind === 'collective') {
        issues.push({ path: `${field}.${index}`, message: `“${unit.name}”是多个单位的统称，不能作为牵头单位，请写明具体单位${unit.members === undefined ? '' : `（${unit.members.join('、')}）`}` });
      }
      return unit?.name ?? name;
    });
    return { names: [...new Set(names)], issues };
  }
}
