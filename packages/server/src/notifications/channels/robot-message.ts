import { createHmac } from 'node:crypto';

/** What a robot is told: the notice's title, body and task (empty for a notice of no one task: a circular, a cycle's list). */
export interface RobotNotice {
  readonly title: string;
  readonly body: string;
  readonly taskId: string;
  readonly unit: string;
}

/** The line naming the task and the unit a notice goes to (the task left out when it names none). Pure. */
export function addressedTo(notice: RobotNotice): string {
  return notice.taskId === '' ? `发往${notice.unit}` : `任务编号：${notice.taskId}（发往${notice.unit}）`;
}

/**
 * The JSON 企业微信's group robot takes: `{"msgtype":"markdown","markdown":{"content"}}`, or with
 * `format` text `{"msgtype":"text","text":{"content"}}`. Pure.
 */
export function wecomMessage(notice: RobotNotice, format: 'markdown' | 'text'): unknown {
  if (format === 'text') return { msgtype: 'text', text: { content: `${notice.title}\n${notice.body}\n${addressedTo(notice)}` } };
  return { msgtype: 'markdown', markdown: { content: `### ${notice.title}\n${notice.body}\n> ${addressedTo(notice)}` } };
}

/** The JSON 钉钉's custom robot takes: `{"msgtype":"markdown","markdown":{"title","text"}}`. Pure. */
export function dingtalkMessage(notice: RobotNotice): unknown {
  return { msgtype: 'markdown', markdown: { title: notice.title, text: `### ${notice.title}\n\n${notice.body}\n\n> ${addressedTo(notice)}` } };
}

/**
 * 钉钉's signed URL: the robot's URL with `timestamp` (ms) and `sign`, the URL-encoded base64 of
 * HMAC-SHA256 over `timestamp + "\n" + secret` keyed by the secret. Pure.
 */
export function dingtalkSignedUrl(href: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  const url = new URL(href);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', sign);
  return url.href;
}
