import type { Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { AccountError } from '../../../accounts/account-error.ts';
import { formOf } from '../../forms/form-body.ts';
import { accountPage } from '../../accounts/account-page.ts';
import type { Notice } from '../../view/layout.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * 我的账号: `GET /account`, `POST /account/password` (the current password and a new one twice;
 * the must-change mark goes, every other session of the account ends), `POST /account/sessions/end`
 * (one of its own sessions, by the handle the page lists).
 */
export const accountRoutes: RouteModule = (deps) => (router) => {
  const { accounts, sessions, clock } = deps;

  const page = async (res: Response, status: number, notices: readonly Notice[] = [], field?: string) => {
    const viewer = signedIn(res);
    const id = viewer.principal.tokenId === 0 ? viewer.principal.account?.id : undefined;
    const account = id === undefined ? undefined : await accounts.get(id);
    const listed = account === undefined ? [] : await sessions.listOf(account.id, clock.now());
    res.status(status).type('html').send(accountPage({ viewer, account, sessions: listed, currentHandle: sessions.handleOf(viewer.sessionId), notices, ...(field === undefined ? {} : { field }) }).text);
  };

  /** The account of the viewer's own session; a token's session has none to change. */
  const ownAccount = (res: Response): number => {
    const { principal } = signedIn(res);
    if (principal.tokenId !== 0 || principal.account === undefined) throw new AccountError('account', '本次使用访问令牌登录，没有可修改的个人账号。');
    return principal.account.id;
  };

  router.get('/account', requireViewer(), (_req, res) => page(res, 200));

  router.post('/account/password', requireViewer(), async (req, res) => {
    const form = formOf(req.body);
    try {
      const id = ownAccount(res);
      if (text(form['password']) !== text(form['password2'])) throw new AccountError('password2', '两次输入的新密码不一致。');
      await accounts.changePassword(id, text(form['current']), text(form['password']), clock.now());
      // Whoever else held a session of this account (the old password's) is signed out.
      const current = sessions.handleOf(signedIn(res).sessionId);
      for (const s of await sessions.listOf(id, clock.now())) if (s.handle !== current) await sessions.endOf(id, s.handle);
      res.locals['viewer'] = { ...signedIn(res), mustChangePassword: false };
      await page(res, 200, [{ kind: 'success', text: '密码已修改，其他登录会话已全部结束。' }]);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      await page(res, 422, [{ kind: 'error', text: error.message }], error.field);
    }
  });

  router.post('/account/sessions/end', requireViewer(), async (req, res) => {
    try {
      const id = ownAccount(res);
      const ended = await sessions.endOf(id, text(formOf(req.body)['session']));
      if (!ended) throw new AccountError('session', '该会话不存在或已经结束。');
      await page(res, 200, [{ kind: 'success', text: '已结束该会话。' }]);
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      await page(res, 404, [{ kind: 'error', text: error.message }]);
    }
  });
};
