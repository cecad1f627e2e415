import { endOfDayShanghai } from './calendar-date.ts';
import type { ReformTaskInput } from './reform-task-input.ts';
import type { PartRecord } from './task-parts.ts';
import type { VerificationCheck, VerificationCheckAnswers } from './verification-checks.ts';

/** A formal interview (约谈) as the office recorded it. */
export type InterviewRecord = {
  heldOn: string;
  attendees: string[];
  findings: string;
  rectifyBy: string;
  recordedAt: number;
};

/** A lead unit's request for more time, awaiting the office. */
export type ExtensionRequest = {
  until: string;
  reason: string;
  requestedBy: string | null;
  requestedAt: number;
};

/** An extension the office granted. */
export type GrantedExtension = {
  from: string | null;
  until: string;
  requested: string;
  note: string | null;
  grantedAt: number;
};

/**
 * Everything a reform-task instance remembers. JSON only: times are epoch ms, absent values are null.
 * `deadline` is the limit as the plan wrote it; `dueDate`/`deadlineAt` is the limit in force
 * (moved by an approved extension or an interview's rectification date).
 */
export type ReformTaskContext = ReformTaskInput & {
  dueDate: string | null;
  /** End of `dueDate` in Asia/Shanghai (epoch ms). */
  deadlineAt: number | null;
  warned: boolean;
  overdue: boolean;
  overdueSince: number | null;
  rejections: number;
  /** Rejections since the last interview: what the automatic escalation counts. */
  rejectionsSinceInterview: number;
  urges: number;
  lastUrge: { message: string; at: number } | null;
  interviews: InterviewRecord[];
  pendingExtension: ExtensionRequest | null;
  extensions: GrantedExtension[];
  lastExtensionDecision: { approve: boolean; until: string | null; note: string | null; at: number } | null;
  /** `by` the unit; `person` the account that reported, as the log names it (absent for a service token, and on tasks stored before accounts). */
  lastProgress: { summary: string; percent: number | null; at: number; by: string | null; person?: ReportingPerson } | null;
  lastReport: { summary: string; evidence: { title: string; ref: string | null }[]; at: number; by: string | null; person?: ReportingPerson } | null;
  /** `checks` the four judgements (四个是否), when the office gave them (absent on older verifications). */
  lastVerification: { opinion: string | null; at: number; checks?: VerificationCheckAnswers } | null;
  /** `failed` the judgements the report failed, when the office named them. */
  lastRejection: { reason: string; at: number; failed?: VerificationCheck[] } | null;
  startedAt: number | null;
  reportedAt: number | null;
  verifiedAt: number | null;
  closedAt: number | null;
  closeNote: string | null;
  commended: boolean;
  escalatedBy: string | null;
  escalationReason: string | null;
  referral: { reason: string; referredTo: string; at: number } | null;
  cancelledReason: string | null;
  /** When the current state was entered; null while the task is still in its initial state. */
  stateSince: number | null;
  /**
   * Questions put in the task's conversation (工作联系) still waiting for a named unit's answer:
   * absent until the first question, so tasks stored before conversations replay unchanged.
   */
  openQuestions?: OpenQuestion[];
  /**
   * The latest instruction (领导批示) a leader wrote on the task: absent until the first, so tasks
   * stored before instructions replay unchanged.
   */
  lastInstruction?: Instruction;
  /**
   * Each unit's own part (task-parts.ts), by unit name, recorded from the unit's first part event:
   * absent until the first, so tasks stored before parts replay unchanged; a unit with no record
   * has its part `assigned`.
   */
  parts?: Record<string, PartRecord>;
};

/** A leader's instruction (批示): its text, when, and the leader's account as the log names it. */
export type Instruction = {
  text: string;
  at: number;
  by: { id: number; name: string } | null;
};

/** A comment that asked units to answer; a unit leaves `waitingFor` when it comments on the task. */
export type OpenQuestion = {
  askedAt: number;
  askedBy: { role: string; unit: string | null };
  text: string;
  waitingFor: string[];
};

/** The context of a freshly assigned task. Pure. */
export function initialContext(input: ReformTaskInput): ReformTaskContext {
  return {
    ...input,
    dueDate: input.deadline.date,
    deadlineAt: input.deadline.date === null ? null : endOfDayShanghai(input.deadline.date),
    warned: false,
    overdue: false,
    overdueSince: null,
    rejections: 0,
    rejectionsSinceInterview: 0,
    urges: 0,
    lastUrge: null,
    interviews: [],
    pendingExtension: null,
    extensions: [],
    lastExtensionDecision: null,
    lastProgress: null,
    lastReport: null,
    lastVerification: null,
    lastRejection: null,
    startedAt: null,
    reportedAt: null,
    verifiedAt: null,
    closedAt: null,
    closeNote: null,
    commended: false,
    escalatedBy: null,
    escalationReason: null,
    referral: null,
    cancelledReason: null,
    stateSince: null,
  };
}

/** The person who reported progress or completion: their account's id and display name at the time. */
export type ReportingPerson = { id: number; name: string };
