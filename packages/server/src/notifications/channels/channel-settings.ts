import type { NoticeChannelKind } from '../../db/server-tables.ts';
import { notifiedEvents } from '../notification-recipients.ts';
import type { NotifiedEvent } from '../notification-recipients.ts';

/** The channels a unit can set, in the order pages show them. */
export const noticeChannelKinds: readonly NoticeChannelKind[] = ['email', 'wecom', 'dingtalk'];

export const channelLabels: Readonly<Record<NoticeChannelKind, string>> = { email: '电子邮件', wecom: '企业微信群机器人', dingtalk: '钉钉群机器人' };

/** Every kind of notice (the notified events), for a channel's `kinds`. */
export const noticeTypes = Object.keys(notifiedEvents) as NotifiedEvent[];

/** A channel as the office sets it: the mailbox or robot URL, 钉钉's secret, 企业微信's format, which notice types (all when null). */
export interface ChannelSetting {
  readonly target: string;
  readonly secret?: string | undefined;
  readonly format?: 'markdown' | 'text' | undefined;
  readonly kinds?: readonly NotifiedEvent[] | null | undefined;
}

/** A field of a channel setting refused, in Chinese, by its path in the request (`body.url`, `path.unit` …). */
export class ChannelSettingRefused extends Error {
  constructor(
    readonly field: string,
    readonly zh: string,
    readonly kind: 'invalid' | 'unknown-unit' = 'invalid',
  ) {
    super(`${field}: ${zh}`);
    this.name = 'ChannelSettingRefused';
  }
}
