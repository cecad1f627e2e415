import type { Request, Response } from 'express';
import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { receiveFiles } from '../../../files/receive-files.ts';
import { sendTaskFile, sendTaskFilesZip } from '../../../files/serve-files.ts';
import { taskFiles } from '../../../files/task-files.ts';
import { problem, TASK_NOT_FOUND } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { noQuery } from '../../schemas.ts';

const fileQuery = z.strictObject({ inline: z.enum(['1']).optional().describe('show an image or PDF in place instead of downloading it') });
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * `POST /files` (multipart/form-data, one or more parts named `file`): each file streamed into the
 * store and checked (type by its bytes, size, name, archives for macros and zip bombs); 201 with
 * each upload's `id`, to name in an event's `attachments: [{ "file": id }]`. All or nothing.
 * Mounted before the JSON body parser.
 */
export const fileUploadRoutes: RouteModule = ({ engine, files, clock, uploadLimits }) => (router) => {
  const receive = async (req: Request, res: Response) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    const { uploads } = await receiveFiles(req, files, { role: principal.role, unit: principal.role === 'unit' ? principal.unit : null }, clock.now(), uploadLimits);
    if (uploads.length === 0) throw problem('invalidRequest', 'the submission carried no file', { extensions: { errors: [{ path: 'file', message: '请选择至少一个文件' }] } });
    return uploads.map((u) => ({ id: u.id, name: u.name, size: u.size, type: u.type, sha256: u.sha256 }));
  };
  router.post('/files', requireRole(readers.uploaders, 'upload files'), async (req, res) => {
    res.status(201).json({ files: await receive(req, res) });
  });
  // DESIGN's shape: the upload for one visible task, answered with the (first) file itself; an event names it by its sha256.
  router.post('/tasks/:id/attachments', requireRole(readers.uploaders, 'upload files'), async (req, res) => {
    if ((await findVisibleTask(engine, req.params['id'] as string, actorOf(principalOf(res)))) === undefined) throw TASK_NOT_FOUND;
    const uploaded = await receive(req, res);
    res.status(201).json({ ...uploaded[0], files: uploaded });
  });
};

/**
 * A visible task's files: `GET /tasks/:id/files` lists them (entry, event, who, name, size, type),
 * `GET /tasks/:id/files/:sha256` sends one (`?inline=1` shows an image or PDF in place), and
 * `GET /tasks/:id/files.zip` all of them. A file not attached to this task is a 404, as is a task the
 * caller may not see.
 */
export const fileRoutes: RouteModule = ({ engine, files }) => (router) => {
  const visibleFiles = async (taskId: string, actor: ReturnType<typeof actorOf>) => {
    const task = await findVisibleTask(engine, taskId, actor);
    if (task === undefined) throw TASK_NOT_FOUND;
    return { task, list: await taskFiles(engine, task.id) };
  };
  router.get('/tasks/:id/files', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { list } = await visibleFiles(req.params.id, actorOf(principalOf(res)));
    res.json({ items: list });
  });
  router.get('/tasks/:id/files.zip', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { task, list } = await visibleFiles(req.params.id, actorOf(principalOf(res)));
    await sendTaskFilesZip(res, files, task.id, list);
  });
  const sendOne = async (req: Request, res: Response) => {
    const { inline } = validateInput(fileQuery, req.query, 'query');
    const { list } = await visibleFiles(req.params['id'] as string, actorOf(principalOf(res)));
    const sha256 = req.params['sha256'] as string;
    const file = SHA256.test(sha256) ? list.find((f) => f.sha256 === sha256) : undefined;
    if (file === undefined) throw problem('fileNotFound', 'no file with this hash is attached to this task');
    await sendTaskFile(res, files, file, inline === '1');
  };
  router.get('/tasks/:id/files/:sha256', sendOne);
  router.get('/tasks/:id/attachments/:sha256', sendOne);
};
