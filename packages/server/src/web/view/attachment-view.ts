import type { AuditEntry } from '@duban/engine';
import { acceptedFileTypes, previewableTypes } from '../../files/file-kinds.ts';
import type { RecordedFile } from '../../files/task-files.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';

/** A file withdrawn by a later comment: when, and why. */
export interface Supersession {
  readonly seq: number;
  readonly at: string;
  readonly reason: string;
}

/** The files of a task's entries that later comments superseded, by SHA-256 (the first supersession counts). Pure. */
export function supersededFiles(history: readonly AuditEntry[]): Map<string, Supersession> {
  const superseded = new Map<string, Supersession>();
  for (const entry of history) {
    const list = (entry.payload as { supersedes?: unknown }).supersedes;
    if (entry.type !== 'COMMENT' || !Array.isArray(list)) continue;
    for (const item of list as { sha256?: unknown; reason?: unknown }[]) {
      if (typeof item.sha256 === 'string' && typeof item.reason === 'string' && !superseded.has(item.sha256)) superseded.set(item.sha256, { seq: entry.seq, at: entry.at, reason: item.reason });
    }
  }
  return superseded;
}

/** The page address of one of a task's files; `inline` shows an image or PDF in place. Pure. */
export function fileHref(taskId: string, sha256: string, inline = false): string {
  return `/tasks/${encodeURIComponent(taskId)}/files/${sha256}${inline ? '?inline=1' : ''}`;
}

/** A size as people read it. Pure. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A list of files as links to download, each image shown and each PDF framed in place (same origin,
 * `?inline=1`, under the file route's own sandboxing policy); a superseded file struck through with
 * the reason and the date it was withdrawn. Pure.
 */
export function attachmentList(taskId: string, files: readonly RecordedFile[], superseded: ReadonlyMap<string, Supersession> = new Map()): SafeHtml {
  return html`<ul class="attachments">${files.map((file) => {
    const withdrawn = superseded.get(file.sha256);
    const kind = acceptedFileTypes[file.type] ?? file.type;
    const link = html`<a href="${fileHref(taskId, file.sha256)}" download>${file.name}</a>`;
    const preview = !previewableTypes.has(file.type)
      ? ''
      : file.type === 'application/pdf'
        ? html`<details class="preview"><summary>预览</summary><iframe src="${fileHref(taskId, file.sha256, true)}" title="${file.name}" loading="lazy"></iframe><p><a href="${fileHref(taskId, file.sha256, true)}" target="_blank" rel="noopener">在新窗口打开</a></p></details>`
        : html`<a class="preview" href="${fileHref(taskId, file.sha256, true)}" target="_blank" rel="noopener"><img src="${fileHref(taskId, file.sha256, true)}" alt="${file.name}" loading="lazy"></a>`;
    return html`<li class="attachment${withdrawn === undefined ? '' : ' superseded'}" data-sha256="${file.sha256}">${withdrawn === undefined ? link : html`<del>${link}</del>`} <span class="muted">${kind} · ${sizeText(file.size)}</span>${
      withdrawn === undefined ? '' : html`<p class="superseded-reason">已于 ${shanghaiDateTime(withdrawn.at)} 更正作废：${withdrawn.reason}</p>`
    }${withdrawn === undefined ? preview : ''}</li>`;
  })}</ul>`;
}
