import type { RouteModule } from '../../../app/app-deps.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { channelSettingRefused, problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { ChannelSettingRefused } from '../../../notifications/channels/channel-settings.ts';
import type { ChannelSetting } from '../../../notifications/channels/channel-settings.ts';
import { readDeliveryLog } from '../../../notifications/channels/delivery-log.ts';
import {
  deliveryLogQuery,
  dingtalkChannelBody,
  emailChannelBody,
  noQuery,
  noticeChannelListQuery,
  noticeChannelParam,
  noticePersonBody,
  wecomChannelBody,
} from '../../schemas.ts';

const DEFAULT_LIMIT = 50;

/** Runs a store call, turning a refused setting into its 422 (nothing was stored). */
async function refusedAs422<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ChannelSettingRefused) throw channelSettingRefused(error);
    throw error;
  }
}

/**
 * Who gets notices by which channel, set by the office and admins, and the delivery log:
 * `GET /notice-channels?unit=`, `PUT /notice-channels/:unit/:channel` (email | wecom | dingtalk: 201
 * new, 200 replaced), `DELETE /notice-channels/:unit/:channel` (204; what it had to send is cancelled),
 * `GET /notice-people?unit=`, `PUT /notice-people/:accountId` `{ "email": true|false }`, and
 * `GET /notice-deliveries?unit=&channel=&status=&limit=&cursor=` (office, reviewers, admins).
 */
export const noticeChannelRoutes: RouteModule = (deps) => (router) => {
  const { channels, clock } = deps;
  const setters = requireRole(readers.noticeChannels, 'set who gets notices by which channel (office and admins only)');

  router.get('/notice-channels', setters, async (req, res) => {
    const query = validateInput(noticeChannelListQuery, req.query, 'query');
    const unit = query.unit === undefined ? undefined : await refusedAs422(async () => channels.unitOf(query.unit!));
    res.json({ items: await channels.list(unit) });
  });

  router.put('/notice-channels/:unit/:channel', setters, async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const channel = validateInput(noticeChannelParam, req.params['channel'], 'path.channel');
    const setting: ChannelSetting =
      channel === 'email'
        ? ((body) => ({ target: body.address, kinds: body.kinds }))(validateInput(emailChannelBody, req.body ?? {}, 'body'))
        : channel === 'wecom'
          ? ((body) => ({ target: body.url, format: body.format, kinds: body.kinds }))(validateInput(wecomChannelBody, req.body ?? {}, 'body'))
          : ((body) => ({ target: body.url, secret: body.secret, kinds: body.kinds }))(validateInput(dingtalkChannelBody, req.body ?? {}, 'body'));
    const { view, created } = await refusedAs422(() => channels.set(String(req.params['unit']), channel, setting, clock.now()));
    res.status(created ? 201 : 200).json(view);
  });

  router.delete('/notice-channels/:unit/:channel', setters, async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const channel = validateInput(noticeChannelParam, req.params['channel'], 'path.channel');
    const unit = String(req.params['unit']);
    const removed = await refusedAs422(() => channels.remove(unit, channel, clock.now()));
    if (!removed) throw problem('noticeChannelNotFound', `${unit} has no ${channel} channel (该单位未设置此渠道)`);
    res.status(204).end();
  });

  router.get('/notice-people', setters, async (req, res) => {
    const query = validateInput(noticeChannelListQuery, req.query, 'query');
    const unit = query.unit === undefined ? undefined : await refusedAs422(async () => channels.unitOf(query.unit!));
    res.json({ items: await channels.people(unit) });
  });

  router.put('/notice-people/:accountId', setters, async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const body = validateInput(noticePersonBody, req.body ?? {}, 'body');
    const id = String(req.params['accountId']);
    const notFound = problem('accountNotFound', `no account ${JSON.stringify(id)}`);
    if (!/^[1-9]\d{0,14}$/.test(id)) throw notFound;
    const person = await refusedAs422(() => channels.setPerson(Number(id), body.email, clock.now()));
    if (person === undefined) throw notFound;
    res.json(person);
  });

  router.get('/notice-deliveries', requireRole(readers.noticeDeliveries, 'read the notice delivery log (office, reviewers, admins)'), async (req, res) => {
    const query = validateInput(deliveryLogQuery, req.query, 'query');
    const unit = query.unit === undefined ? undefined : deps.units.canonical(query.unit);
    const page = await readDeliveryLog(deps.engine.store.kysely, {
      unit,
      channel: query.channel,
      status: query.status,
      limit: query.limit ?? DEFAULT_LIMIT,
      beforeId: query.cursor === undefined ? undefined : Number(query.cursor),
    });
    res.json({ items: page.items, nextCursor: page.nextId === null ? null : String(page.nextId) });
  });
};
