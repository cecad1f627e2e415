import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { readers } from '../../../auth/readers.ts';
import type { NoticeChannelKind } from '../../../db/server-tables.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { ChannelSettingRefused, channelLabels, noticeChannelKinds, noticeTypes } from '../../../notifications/channels/channel-settings.ts';
import type { NoticeType } from '../../../notifications/channels/channel-settings.ts';
import { readDeliveryLog } from '../../../notifications/channels/delivery-log.ts';
import { formOf } from '../../forms/form-body.ts';
import type { ChannelFormState } from '../../notices/notice-channels-page.ts';
import { noticeChannelsPage } from '../../notices/notice-channels-page.ts';
import { noticeDeliveriesPage } from '../../notices/notice-deliveries-page.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import type { Notice } from '../../view/layout.ts';
import { noticeDeliveriesQuery } from '../../web-queries.ts';

const DELIVERY_PAGE = 200;
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(text) : typeof value === 'string' ? [value] : []);

/** Where a refused setting's message goes on the page's form. */
const formField: Readonly<Record<string, string>> = { 'body.channel': 'channel', 'path.unit': 'unit', 'body.address': 'target', 'body.url': 'target', 'body.secret': 'secret', 'body.kinds': 'kinds', 'path.accountId': 'unit', 'body.email': 'unit' };

/**
 * 通知渠道 and 推送记录: `GET /notice-channels` and its posts — `POST /notice-channels` (set a unit's
 * channel), `POST /notice-channels/remove`, `POST /notice-people/:id` (a person's e-mail on or off) —
 * for the office and admins, and `GET /notice-deliveries?status=&channel=` for the office, reviewers and
 * admins. A refused post shows the page again (422) with the message beside its field and stores nothing.
 */
export const noticeChannelPageRoutes: RouteModule = (deps) => (router) => {
  const { channels, clock, units } = deps;
  const setters = requireViewer(readers.noticeChannels);
  const unitNames = units.units.filter((unit) => (unit.members ?? []).length === 0).map((unit) => unit.name);

  const page = async (res: Response, status: number, notices: readonly Notice[] = [], form?: ChannelFormState) => {
    res
      .status(status)
      .type('html')
      .send(noticeChannelsPage({ viewer: signedIn(res), channels: await channels.list(), people: await channels.people(), units: unitNames, notices, ...(form === undefined ? {} : { form }) }).text);
  };

  /** Runs a change; a refused setting shows the page again with its message beside the field. */
  const change = (work: (req: Request) => Promise<Notice>, typedOf: (req: Request) => ChannelFormState['typed'] = () => ({})) => async (req: Request, res: Response) => {
    try {
      await page(res, 200, [await work(req)]);
    } catch (error) {
      if (!(error instanceof ChannelSettingRefused)) throw error;
      const field = formField[error.field] ?? 'target';
      await page(res, 422, [{ kind: 'error', text: '设置未保存，请按提示修改。' }], { typed: typedOf(req), errors: { [field]: error.zh } });
    }
  };

  router.get('/notice-channels', setters, (_req, res) => page(res, 200));

  const typed = (req: Request) => {
    const form = formOf(req.body);
    return { unit: text(form['unit']), channel: text(form['channel']), target: text(form['target']), format: text(form['format']), kinds: list(form['kinds']) };
  };
  router.post(
    '/notice-channels',
    setters,
    change(async (req) => {
      const form = formOf(req.body);
      const channel = text(form['channel']) as NoticeChannelKind;
      if (!noticeChannelKinds.includes(channel)) throw new ChannelSettingRefused('body.channel', '请从列表中选择渠道');
      const kinds = list(form['kinds']);
      if (kinds.some((kind) => !(noticeTypes as readonly string[]).includes(kind))) throw new ChannelSettingRefused('body.kinds', '请从列表中选择通知类别');
      const secret = text(form['secret']);
      const format = text(form['format']) === 'text' ? 'text' : 'markdown';
      const { view, created } = await channels.set(
        text(form['unit']),
        channel,
        { target: text(form['target']), ...(channel === 'dingtalk' && secret !== '' ? { secret } : {}), ...(channel === 'wecom' ? { format } : {}), kinds: kinds.length === 0 ? null : (kinds as NoticeType[]) },
        clock.now(),
      );
      return { kind: 'success', text: `已${created ? '设置' : '更新'}${view.unit}的${channelLabels[view.channel]}。` };
    }, typed),
  );

  router.post(
    '/notice-channels/remove',
    setters,
    change(async (req) => {
      const form = formOf(req.body);
      const channel = text(form['channel']) as NoticeChannelKind;
      if (!noticeChannelKinds.includes(channel)) throw PAGE_NOT_FOUND;
      const removed = await channels.remove(text(form['unit']), channel, clock.now());
      return removed ? { kind: 'success', text: `已删除${text(form['unit'])}的${channelLabels[channel]}，尚未发出的推送已取消。` } : { kind: 'info', text: '该渠道已不存在。' };
    }),
  );

  router.post(
    '/notice-people/:id',
    setters,
    change(async (req) => {
      const id = String(req.params['id']);
      if (!/^[1-9]\d{0,14}$/.test(id)) throw PAGE_NOT_FOUND;
      const person = await channels.setPerson(Number(id), text(formOf(req.body)['email']) === 'on', clock.now());
      if (person === undefined) throw PAGE_NOT_FOUND;
      return { kind: 'success', text: `${person.displayName}${person.wantsEmail ? '将收到' : '不再收到'}本单位的通知邮件。` };
    }),
  );

  router.get('/notice-deliveries', requireViewer(readers.noticeDeliveries), async (req, res) => {
    const query = validateInput(noticeDeliveriesQuery, req.query, 'query');
    const page = await readDeliveryLog(deps.engine.store.kysely, { status: query.status, channel: query.channel, limit: DELIVERY_PAGE });
    res.type('html').send(noticeDeliveriesPage({ viewer: signedIn(res), items: page.items, status: query.status, channel: query.channel }).text);
  });
};
