import type { NoticeChannelKind } from '../../db/server-tables.ts';
import { notifiedEvents } from '../notification-recipients.ts';
import type { NotifiedEvent } from '../notification-recipients.ts';

/** The channels a unit can set, in the order pages show them. */
export const noticeChannelKinds: readonly NoticeChannelKind[] = ['email', 'wecom', 'dingtalk'];

export const channelLabels: Readonly<Record<NoticeChannelKind, string>> = { email: '电子邮件', wecom: '企业微信群机器人', dingtalk: '钉钉群机器人' };

/** The reporting cycles' notices (信息报送): the reminder before the due day (REMIND) and the 催报 after it (CYCLE_DUE). */
export const cycleNoticeTypes = ['REMIND', 'CYCLE_DUE'] as const;

/** The notice of an issued circular (通报), to each unit it names. */
export const circularNoticeTypes = ['CIRCULAR'] as const;

/** A kind of notice a channel may take: a notified task event, a reporting cycle's notice, or a circular's. */
export type NoticeType = NotifiedEvent | (typeof cycleNoticeTypes)[number] | (typeof circularNoticeTypes)[number];

/** Every kind of notice (the notified events, the cycles' notices, the circular's), for a channel's `kinds`, in the order pages show them. */
export const noticeTypes: readonly NoticeType[] = [...(Object.keys(notifiedEvents) as NotifiedEvent[]), ...cycleNoticeTypes, ...circularNoticeTypes];

/** A channel as the office sets it: the mailbox or robot URL, 钉钉's secret, 企业微信's format, which notice types (all when null). */
export interface ChannelSetting {
  readonly target: string;
  readonly secret?: string | undefined;
  readonly format?: 'markdown' | 'text' | undefined;
  readonly kinds?: readonly NoticeType[] | null | undefined;
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
