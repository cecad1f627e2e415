import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { sendTaskFile, sendTaskFilesZip } from '../../../files/serve-files.ts';
import { taskFiles } from '../../../files/task-files.ts';
import { PAGE_NOT_FOUND, problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { findVisibleTask } from '../../../tasks/find-visible-task.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';

const fileQuery = z.strictObject({ inline: z.enum(['1']).optional() });
const noQuery = z.strictObject({});
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A task's files for the signed-in viewer, as the task page links them: `GET /tasks/:id/files/:sha256`
 * (`?inline=1`: an image or PDF shown in place, which the page may frame — same origin only) and
 * `GET /tasks/:id/files.zip`. The same responses as the API's (nosniff, a sandboxing policy, the
 * checked type); a task the viewer may not see, or a file not attached to it, is the 404 page.
 */
export const taskFileRoutes: RouteModule = ({ engine, files }) => (router) => {
  const visibleFiles = async (taskId: string, viewer: ReturnType<typeof signedIn>) => {
    const task = await findVisibleTask(engine, taskId, actorOf(viewer.principal));
    if (task === undefined) throw PAGE_NOT_FOUND;
    return { task, list: await taskFiles(engine, task.id) };
  };

  router.get('/tasks/:id/files.zip', requireViewer(), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { task, list } = await visibleFiles(String(req.params['id']), signedIn(res));
    await sendTaskFilesZip(res, files, task.id, list);
  });

  router.get('/tasks/:id/files/:sha256', requireViewer(), async (req, res) => {
    const { inline } = validateInput(fileQuery, req.query, 'query');
    const { list } = await visibleFiles(String(req.params['id']), signedIn(res));
    const sha256 = String(req.params['sha256']);
    const file = SHA256.test(sha256) ? list.find((f) => f.sha256 === sha256) : undefined;
    if (file === undefined) throw problem('fileNotFound', 'no file with this hash is attached to this task');
    await sendTaskFile(res, files, file, inline === '1');
  });
};
