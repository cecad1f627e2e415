import type { UnitRegistry } from '@duban/plan';
import type { Kysely, Selectable } from 'kysely';
import type { DeliveryStatus, NoticeChannelKind, NoticeChannelTable, ServerDatabase } from '../../db/server-tables.ts';
import type { ChannelSetting, NoticeType } from './channel-settings.ts';
import { ChannelSettingRefused, noticeTypes } from './channel-settings.ts';
import { emailAddress } from './email-address.ts';
import type { RobotUrlPolicy } from './robot-url.ts';
import { checkRobotUrl, maskedRobotUrl, RobotUrlRefused } from './robot-url.ts';

/** A unit's channel as listed: robot URLs masked, secrets never shown. */
export interface ChannelView {
  readonly unit: string;
  readonly channel: NoticeChannelKind;
  /** The mailbox, or the robot URL with its query values masked. */
  readonly target: string;
  readonly secretSet: boolean;
  readonly format: string;
  /** The notice types it takes; null: every type. */
  readonly kinds: NoticeType[] | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Its outbox, by status. */
  readonly deliveries: Readonly<Record<DeliveryStatus, number>>;
}

/** A person who can be sent their unit's notices by e-mail: an enabled account with a unit and an address. */
export interface NoticePerson {
  readonly accountId: number;
  readonly login: string;
  readonly displayName: string;
  readonly unit: string;
  readonly email: string;
  readonly wantsEmail: boolean;
}

type Units = Pick<UnitRegistry, 'has' | 'canonical' | 'membersOf'>;

/**
 * Who gets what beyond the list and the webhook: per unit its channels (`notice_channel`), per person
 * e-mail on or off (`notice_person`). Every input is checked before anything is stored: an unknown unit,
 * a collective, a bad address, a robot URL that is not https or points into a private network are each
 * refused with a ChannelSettingRefused in Chinese. Does IO (the database; DNS for robot URLs).
 */
export class ChannelStore {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly units: Units,
    private readonly robots: RobotUrlPolicy,
  ) {}

  /** The canonical name of a unit that can receive notices: known, and not a collective. */
  unitOf(name: string): string {
    if (!this.units.has(name)) throw new ChannelSettingRefused('path.unit', `单位“${name.slice(0, 100)}”不在单位名录中`, 'unknown-unit');
    const unit = this.units.canonical(name);
    const members = this.units.membersOf(unit);
    if (members.length > 0) throw new ChannelSettingRefused('path.unit', `“${unit}”代表多个单位，请为其成员单位分别设置：${members.join('、')}`, 'unknown-unit');
    return unit;
  }

  /** Sets (or replaces) a unit's channel; true when it was new. Pending deliveries of a replaced robot go to the new URL. */
  async set(unitName: string, channel: NoticeChannelKind, setting: ChannelSetting, at: Date): Promise<{ view: ChannelView; created: boolean }> {
    const unit = this.unitOf(unitName);
    const row = await this.checked(channel, setting);
    const now = at.toISOString();
    const created = await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('notice_channel').select('id').where('unit', '=', unit).where('channel', '=', channel).executeTakeFirst();
      if (existing === undefined) {
        await trx.insertInto('notice_channel').values({ unit, channel, ...row, created_at: now, updated_at: now }).execute();
        return true;
      }
      await trx.updateTable('notice_channel').set({ ...row, updated_at: now }).where('id', '=', existing.id).execute();
      return false;
    });
    const view = (await this.list(unit)).find((c) => c.channel === channel);
    if (view === undefined) throw new Error(`the ${channel} channel of ${unit} vanished while it was being set`);
    return { view, created };
  }

  /** Removes a unit's channel and cancels what it still had to send; false when the unit had none. */
  async remove(unitName: string, channel: NoticeChannelKind, at: Date): Promise<boolean> {
    const unit = this.unitOf(unitName);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('notice_channel').select('id').where('unit', '=', unit).where('channel', '=', channel).executeTakeFirst();
      if (existing === undefined) return false;
      await trx
        .updateTable('notice_delivery')
        .set({ status: 'cancelled', last_error: `channel removed at ${at.toISOString()}` })
        .where('channel_id', '=', existing.id)
        .where('status', '=', 'pending')
        .execute();
      await trx.deleteFrom('notice_channel').where('id', '=', existing.id).execute();
      return true;
    });
  }

  /** Every unit's channels (one unit's when named), by unit then channel. */
  async list(unit?: string): Promise<ChannelView[]> {
    let select = this.db.selectFrom('notice_channel').selectAll();
    if (unit !== undefined) select = select.where('unit', '=', unit);
    const rows = await select.orderBy('unit').orderBy('channel').execute();
    if (rows.length === 0) return [];
    const counts = await this.db
      .selectFrom('notice_delivery')
      .select(['channel_id', 'status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .where(
        'channel_id',
        'in',
        rows.map((row) => Number(row.id)),
      )
      .groupBy(['channel_id', 'status'])
      .execute();
    return rows.map((row) => {
      const deliveries = { pending: 0, delivered: 0, failed: 0, cancelled: 0 };
      for (const count of counts) if (Number(count.channel_id) === Number(row.id)) deliveries[count.status] += Number(count.n);
      return toView(row, deliveries);
    });
  }

  /** The accounts that can be sent e-mail (enabled, of a unit, with an address), with their choice; one unit's when named. */
  async people(unit?: string): Promise<NoticePerson[]> {
    let select = this.db
      .selectFrom('account as a')
      .leftJoin('notice_person as p', 'p.account_id', 'a.id')
      .select(['a.id', 'a.login', 'a.display_name', 'a.unit', 'a.email', 'p.email as wants'])
      .where('a.unit', 'is not', null)
      .where('a.email', 'is not', null)
      .where('a.disabled_at', 'is', null);
    if (unit !== undefined) select = select.where('a.unit', '=', unit);
    const rows = await select.orderBy('a.unit').orderBy('a.login').execute();
    return rows.map((row) => ({ accountId: Number(row.id), login: row.login, displayName: row.display_name, unit: row.unit!, email: row.email!, wantsEmail: Number(row.wants ?? 0) === 1 }));
  }

  /**
   * Turns a person's e-mail on or off. Undefined when there is no such account; refused when the
   * account has no unit or no e-mail address to send to.
   */
  async setPerson(accountId: number, wantsEmail: boolean, at: Date): Promise<NoticePerson | undefined> {
    const account = await this.db.selectFrom('account').select(['id', 'unit', 'email', 'disabled_at']).where('id', '=', accountId).executeTakeFirst();
    if (account === undefined) return undefined;
    if (account.unit === null) throw new ChannelSettingRefused('path.accountId', '该账号不属于任何单位，没有单位通知可发');
    if (wantsEmail && (account.email === null || emailAddress(account.email) === undefined)) {
      throw new ChannelSettingRefused('body.email', '该账号没有登记有效的邮箱地址，请先在账号管理中填写');
    }
    const now = at.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('notice_person')
        .values({ account_id: accountId, email: wantsEmail ? 1 : 0, updated_at: now })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ email: wantsEmail ? 1 : 0, updated_at: now }))
        .execute();
      // Mail the person no longer wants is not sent.
      if (!wantsEmail) {
        await trx
          .updateTable('notice_delivery')
          .set({ status: 'cancelled', last_error: `e-mail turned off at ${now}` })
          .where('account_id', '=', accountId)
          .where('status', '=', 'pending')
          .execute();
      }
    });
    return (await this.people(account.unit)).find((person) => person.accountId === accountId) ?? {
      accountId,
      login: '',
      displayName: '',
      unit: account.unit,
      email: account.email ?? '',
      wantsEmail: false,
    };
  }

  private async checked(channel: NoticeChannelKind, setting: ChannelSetting): Promise<Pick<Selectable<NoticeChannelTable>, 'target' | 'secret' | 'format' | 'kinds'>> {
    const kinds = setting.kinds === undefined || setting.kinds === null ? null : JSON.stringify(noticeTypes.filter((type) => setting.kinds!.includes(type)));
    if (setting.kinds !== undefined && setting.kinds !== null && setting.kinds.length === 0) throw new ChannelSettingRefused('body.kinds', '至少选择一类通知；全部类别请不填');
    if (channel === 'email') {
      const address = emailAddress(setting.target);
      if (address === undefined) throw new ChannelSettingRefused('body.address', `邮箱地址“${setting.target.slice(0, 100)}”格式不正确，应形如 duban@example.gov.cn`);
      if (setting.secret !== undefined) throw new ChannelSettingRefused('body.secret', '电子邮件渠道不需要密钥');
      return { target: address, secret: null, format: 'text', kinds };
    }
    let href: string;
    try {
      href = await checkRobotUrl(setting.target, this.robots);
    } catch (error) {
      if (error instanceof RobotUrlRefused) throw new ChannelSettingRefused('body.url', error.zh);
      throw error;
    }
    if (channel === 'wecom' && setting.secret !== undefined) throw new ChannelSettingRefused('body.secret', '企业微信群机器人没有签名密钥，密钥在地址的 key 参数中');
    const secret = setting.secret ?? null;
    if (secret !== null && (secret.length < 16 || secret.length > 256 || !/^[\x21-\x7E]+$/.test(secret))) {
      throw new ChannelSettingRefused('body.secret', '加签密钥须为 16 至 256 个可见 ASCII 字符（钉钉机器人安全设置中的 SEC 开头的字符串）');
    }
    return { target: href, secret, format: channel === 'wecom' ? (setting.format ?? 'markdown') : 'markdown', kinds };
  }
}

function toView(row: Selectable<NoticeChannelTable>, deliveries: Record<DeliveryStatus, number>): ChannelView {
  return {
    unit: row.unit,
    channel: row.channel,
    target: row.channel === 'email' ? row.target : maskedRobotUrl(row.target),
    secretSet: row.secret !== null,
    format: row.format,
    kinds: row.kinds === null ? null : (JSON.parse(row.kinds) as NoticeType[]),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveries,
  };
}
