import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { AccountError } from '../../../accounts/account-error.ts';
import { isAccountRole } from '../../../accounts/account-roles.ts';
import type { AccountRole } from '../../../accounts/account-roles.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { formOf } from '../../forms/form-body.ts';
import { adminAccountsPage } from '../../accounts/admin-accounts-page.ts';
import type { Notice } from '../../view/layout.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const roleOf = (value: unknown): AccountRole => {
  if (!isAccountRole(value)) throw new AccountError('role', '请选择账号角色。');
  return value;
};

/** A one-time code, shown to the admin on this answer only (never in a URL, never logged). */
const codeNotice = (login: string, code: string, expiresAt: string): Notice => ({
  kind: 'success',
  text: `账号 ${login} 的一次性登录码：${code}（仅显示这一次，24 小时内有效，只能使用一次；请当面或电话告知本人，在“使用登录码设置密码”页面输入）。`,
  details: [`有效至 ${expiresAt}`],
});

/**
 * 账号管理, for admins only: `GET /admin/accounts`; `POST /admin/accounts` (create, with a one-time
 * code), `POST /admin/accounts/:id` (role and unit), `…/disable`, `…/enable`, `…/reset` (a new
 * code). Each change is an organisation entry in the audit log naming the admin. Every post checks the origin and the session's anti-forgery token (requireViewer); a refusal
 * shows the page again with the message in Chinese and changes nothing.
 */
export const adminRoutes: RouteModule = (deps) => (router) => {
  const { accounts, clock } = deps;
  const admin = requireViewer(readers.organisation);
  /** The admin acting, as the organisation's audit entry names them. */
  const by = (res: Response) => actorOf(signedIn(res).principal);

  const page = async (res: Response, status: number, notices: readonly Notice[] = [], typed?: Record<string, string>, field?: string) => {
    res
      .status(status)
      .type('html')
      .send(adminAccountsPage({ viewer: signedIn(res), accounts: await accounts.list(), notices, ...(typed === undefined ? {} : { typed }), ...(field === undefined ? {} : { field }) }).text);
  };

  const accountId = async (req: Request): Promise<number> => {
    const id = /^\d{1,9}$/.test(String(req.params['id'])) ? Number(req.params['id']) : undefined;
    if (id === undefined || (await accounts.get(id)) === undefined) throw PAGE_NOT_FOUND;
    return id;
  };

  /** Runs an admin's change; an AccountError shows the page again (422) with its message. */
  const change = (work: (req: Request, res: Response) => Promise<readonly Notice[]>, typedOf?: (req: Request) => Record<string, string>) => async (req: Request, res: Response) => {
    try {
      await page(res, 200, await work(req, res));
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      await page(res, 422, [{ kind: 'error', text: error.message }], typedOf?.(req), error.field);
    }
  };

  router.get('/admin/accounts', admin, (_req, res) => page(res, 200));

  const typedNew = (req: Request) => Object.fromEntries(['login', 'displayName', 'role', 'unit', 'phone', 'email'].map((k) => [k, text(formOf(req.body)[k])]));
  router.post(
    '/admin/accounts',
    admin,
    change(async (req, res) => {
      const form = typedNew(req);
      const now = clock.now();
      const account = await accounts.create({ login: form['login']!, displayName: form['displayName']!, role: roleOf(form['role']), unit: form['unit'], phone: form['phone'], email: form['email'] }, now, by(res));
      const { code, expiresAt } = await accounts.issueResetCode(account.id, now);
      return [codeNotice(account.login, code, expiresAt)];
    }, typedNew),
  );

  router.post(
    '/admin/accounts/:id',
    admin,
    change(async (req, res) => {
      const form = formOf(req.body);
      const { before, after } = await accounts.update(await accountId(req), { role: roleOf(form['role']), unit: text(form['unit']) }, clock.now(), by(res));
      const moved = before.role !== after.role || before.unit !== after.unit;
      return [{ kind: 'success', text: `已保存账号 ${after.login}${moved ? '；其登录会话和令牌已全部结束' : ''}。` }];
    }),
  );

  for (const disabled of [true, false]) {
    router.post(
      `/admin/accounts/:id/${disabled ? 'disable' : 'enable'}`,
      admin,
      change(async (req, res) => {
        const id = await accountId(req);
        if (disabled && id === signedIn(res).principal.account?.id) throw new AccountError('account', '不能停用自己正在使用的账号。');
        await accounts.setDisabled(id, disabled, clock.now(), by(res));
        const account = (await accounts.get(id))!;
        return [{ kind: 'success', text: disabled ? `已停用账号 ${account.login}，其登录会话和令牌已全部结束。` : `已启用账号 ${account.login}。` }];
      }),
    );
  }

  router.post(
    '/admin/accounts/:id/reset',
    admin,
    change(async (req, res) => {
      const id = await accountId(req);
      const { code, expiresAt } = await accounts.issueResetCode(id, clock.now(), by(res));
      return [codeNotice((await accounts.get(id))!.login, code, expiresAt)];
    }),
  );
};
