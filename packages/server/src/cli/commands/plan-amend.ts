import { openDuban } from '../../app/open-duban.ts';
import { IMPORTER } from '../../plans/import-plan.ts';
import { readPlanSource } from '../../plans/load-plan-file.ts';
import { revisionChoices } from '../../plans/plan-choices.ts';
import type { RevisionChange } from '../../plans/plan-amendments.ts';
import { systemClock } from '../../time/clock.ts';
import { instant, parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { databaseOption } from '../database-option.ts';
import { UsageError } from '../usage-error.ts';

const KIND = { add: '新增', change: '调整', remove: '撤销' } as const;

/**
 * `plan amend --db … --plan-id ID FILE [--apply all|ID,… --reason TEXT] [--at ISO]`: compares a
 * revised plan file with plan ID as it stands (as `POST /api/plans/:id/revisions/preview`) and prints
 * the difference, JSON on stdout and one line a change on stderr; with `--apply` (every change, or the
 * ids given) and `--reason`, applies them as the API does, as the admin: all or nothing. Exit 1 on a
 * refusal, nothing written.
 */
export async function planAmend(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { db: { type: 'string' }, 'plan-id': { type: 'string' }, apply: { type: 'string' }, reason: { type: 'string' }, at: { type: 'string' } },
    { min: 1, max: 1, names: 'FILE' },
  );
  const db = databaseOption(values.db);
  const planId = values['plan-id'];
  if (planId === undefined) throw new UsageError('plan amend needs --plan-id, the plan to compare the file with (duban plan import printed it)');
  if (values.apply !== undefined && values.reason === undefined) throw new UsageError('plan amend --apply needs --reason, recorded in every entry the revision writes');
  const at = values.at === undefined ? systemClock.now() : instant(values.at, '--at');
  const source = await readPlanSource(positionals[0]!);
  const duban = await openDuban(db, { create: false });
  try {
    const preview = await duban.planAmendments.preview(planId, source, at);
    for (const change of preview.changes) io.err(`  ${change.id}　${KIND[change.kind]}第${change.number}项${describe(change)}`);
    io.err(`修订稿与计划 ${planId}：新增 ${count(preview.changes, 'add')} 项，调整 ${count(preview.changes, 'change')} 项，撤销 ${count(preview.changes, 'remove')} 项，未变 ${preview.unchanged} 项`);
    if (values.apply === undefined) {
      io.out(JSON.stringify(preview, null, 2));
      return 0;
    }
    const apply = values.apply === 'all' ? preview.changes.map((change) => change.id) : values.apply;
    const applied = await duban.planAmendments.apply(planId, source, revisionChoices({ basis: preview.basis, apply, reason: values.reason ?? '' }), IMPORTER, at);
    io.out(`amended plan ${planId}: ${applied.created.length} tasks added, ${applied.amended.length} amended, ${applied.withdrawn.length} withdrawn (${applied.entries.length} audit entries)`);
    return 0;
  } finally {
    await duban.close();
  }
}

function count(changes: readonly RevisionChange[], kind: RevisionChange['kind']): number {
  return changes.filter((change) => change.kind === kind).length;
}

function describe(change: RevisionChange): string {
  const labels = { text: '任务内容', deadline: '完成时限', leadUnits: '牵头单位', responsibleUnits: '责任单位' } as const;
  return change.fields.length === 0 ? `：${change.text}` : `：${change.fields.map((field) => labels[field.field]).join('、')}`;
}
