import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldPunctuation } from '../src/fold-text.ts';
import { parsePlan } from '../src/parse-plan.ts';
import type { PlanTask } from '../src/plan-schema.ts';
import { planSchema } from '../src/plan-schema.ts';

// Words for task text: no digits, numerals, label words or Markdown marks, so that wherever a
// line is wrapped the next line still reads as text.
const WORDS = ['推进', '优化', '审批', '服务', '改革', '监管', '平台', '事项', '办理', '企业', '群众', '政务', '数据', '共享', '清单', '制度', '标准化', '便利化', '网上', '流程', '机制', '完善', '落实'];
const MARKS = ['，', '、', '：', '；', '（试点）', '“好差评”'];
const UNITS = ['市发改委', '市财政局', '市司法局', '市住建局', '市水务局', '市工信局', '各区人民政府', '市政务服务和公共资源交易中心'];
const DEADLINES = [
  { text: '2023年6月底前', date: '2023-06-30', ongoing: false },
  { text: '2023年12月底前并长期坚持', date: '2023-12-31', ongoing: true },
  { text: '2023年2月底前', date: '2023-02-28', ongoing: false },
  { text: '2023年9月30日前', date: '2023-09-30', ongoing: false },
  { text: '长期坚持', date: null, ongoing: true },
  { text: '', date: null, ongoing: false },
];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

interface ModelTask {
  text: string;
  lead: string[];
  responsible: string[];
  collective: boolean;
  deadline: (typeof DEADLINES)[number];
}
interface ModelMeasure { title: string; tasks: ModelTask[] }
interface ModelPart { title: string; measures: ModelMeasure[] }

const phrase = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.option(fc.constantFrom(...MARKS), { nil: '' })), { minLength: min, maxLength: max })
    .map((pairs) => pairs.map(([word, mark]) => word + mark).join(''));

const taskArbitrary: fc.Arbitrary<ModelTask> = fc.record({
  text: phrase(2, 14).map((text) => `${text}。`),
  lead: fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 2 }),
  responsible: fc.uniqueArray(fc.constantFrom(...UNITS), { maxLength: 3 }),
  collective: fc.boolean(),
  deadline: fc.constantFrom(...DEADLINES),
});

const planArbitrary: fc.Arbitrary<ModelPart[]> = fc.array(
  fc.record({
    title: phrase(1, 3),
    measures: fc.array(fc.record({ title: phrase(1, 4), tasks: fc.array(taskArbitrary, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 3 },
);

/** The choices one rendering makes; `plain` makes none of them. */
interface Style {
  random: () => number;
  asciiShare: number;
  spaces: boolean;
  wrap: boolean;
  blankLines: boolean;
}

const plain: Style = { random: () => 0, asciiShare: 0, spaces: false, wrap: false, blankLines: true };

function render(parts: readonly ModelPart[], style: Style): string {
  const chance = (share: number): boolean => style.random() < share;
  const width = (text: string): string =>
    [...text].map((char) => {
      const ascii = ({ '：': ':', '，': ',', '（': '(', '）': ')', '；': ';' } as Record<string, string>)[char];
      return ascii !== undefined && chance(style.asciiShare) ? ascii : char;
    }).join('');
  const pad = (): string => (style.spaces && chance(0.5) ? ([' ', '  ', '\u3000', '\t'][Math.floor(style.random() * 4)] ?? ' ') : '');
  const line = (text: string): string => `${pad()}${text}${pad()}`;
  // Wraps after `keep` characters at the earliest, so a label is never cut in two.
  const wrapped = (text: string, keep = 1): string[] => {
    if (!style.wrap || text.length <= keep + 1 || !chance(0.6)) return [text];
    const cut = keep + Math.floor(style.random() * (text.length - keep));
    return [text.slice(0, cut), text.slice(cut)];
  };
  const units = (names: readonly string[]): string =>
    names.map((name) => width(name)).join(style.spaces && chance(0.3) ? ` ${width('、')} ` : width(chance(0.5) ? '、' : '，'));
  const out: string[] = ['示例市2023年“放管服”改革工作要点'];
  const gap = (): void => {
    if (style.blankLines) out.push('');
  };
  let measureNumber = 0;
  let taskNumber = 0;
  parts.forEach((part, partIndex) => {
    gap();
    out.push(line(width(`${NUMERALS[partIndex]}、${part.title}`)));
    for (const measure of part.measures) {
      gap();
      out.push(line(width(`（${NUMERALS[measureNumber]}）${measure.title}。`)));
      measureNumber += 1;
      for (const task of measure.tasks) {
        taskNumber += 1;
        gap();
        const number = `${taskNumber}${style.spaces && chance(0.3) ? ' ' : ''}.`;
        const [first = '', ...rest] = wrapped(width(task.text));
        if (chance(0.5)) out.push(line(`${number}${pad()}${first}`));
        else out.push(line(number), line(first));
        for (const fragment of rest) out.push(line(fragment));
        gap();
        out.push(line(width(`牵头单位：${pad()}${units(task.lead)}`)));
        const responsible = task.collective && task.responsible.length > 0
          ? `${units(task.responsible)}等市级各有关部门`
          : units(task.responsible);
        if (responsible !== '') {
          const label = width(`责任单位：${pad()}`);
          const [head = '', ...tail] = wrapped(label + responsible, label.length);
          out.push(line(head), ...tail.map(line));
        }
        if (task.deadline.text !== '') out.push(line(width(`完成时限：${pad()}`) + task.deadline.text));
      }
    }
  });
  return out.join('\n');
}

function expectedTasks(parts: readonly ModelPart[]): PlanTask[] {
  let measureNumber = 0;
  let number = 0;
  return parts.flatMap((part, partIndex) =>
    part.measures.flatMap((measure) => {
      const measureTitle = `（${NUMERALS[measureNumber]}）${measure.title}。`;
      measureNumber += 1;
      return measure.tasks.map((task) => {
        number += 1;
        const responsible = task.collective && task.responsible.length > 0 ? [...task.responsible, '市级各有关部门'] : task.responsible;
        return {
          number,
          part: `${NUMERALS[partIndex]}、${part.title}`,
          measure: measureTitle,
          text: task.text,
          leadUnits: task.lead,
          responsibleUnits: responsible,
          deadline: task.deadline,
        };
      });
    }),
  );
}

/** Tasks with their written text in one punctuation width, the only thing a width variant may change. */
function sameWidth(tasks: readonly PlanTask[]): PlanTask[] {
  return tasks.map((task) => ({
    ...task,
    part: task.part === null ? null : foldPunctuation(task.part),
    measure: task.measure === null ? null : foldPunctuation(task.measure),
    text: foldPunctuation(task.text),
  }));
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parsePlan properties', () => {
  it('given a generated plan written plainly, when parsed, then it gives back exactly the tasks written, with no warning', () => {
    fc.assert(
      fc.property(planArbitrary, (parts) => {
        const plan = parsePlan(render(parts, plain));
        expect(plan.tasks).toEqual(expectedTasks(parts));
        expect(plan.warnings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('given the same plan with ASCII punctuation, extra spaces, wrapped lines or no blank lines, when parsed, then the tasks are the same', () => {
    fc.assert(
      fc.property(
        planArbitrary,
        fc.noShrink(fc.integer()),
        fc.constantFrom(0, 0.5, 1),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (parts, seed, asciiShare, spaces, wrap, blankLines) => {
          const variant = render(parts, { random: seededRandom(seed), asciiShare, spaces, wrap, blankLines });
          const plan = parsePlan(variant);
          expect(sameWidth(plan.tasks)).toEqual(expectedTasks(parts));
          expect(plan.warnings).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given any string at all, when parsed, then it returns a plan that fits the schema, with warnings on real lines', () => {
    const noise = fc.array(
      fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('1.', '1\\.', '２．', '（一）', '一、', '第一部分', '\n', '\r\n', '\r', '牵头单位：', '责任单位:', '完成时限：', '(', '）', '〔', '】',
          '等', '、', '，', '；', '2023年', '6月底前', '长期坚持', '年底前', '第三季度', '负责', '牵头', '| 序号 | 任务 | 牵头单位 |', '|---|---|---|', '| 1 |', '#', '**', '- ', '> ',
          '（代章）', '2023年5月10日', '四、工作要求', '一一一一一一一', '99999.', '\u3000', '\ufeff', '\u0000', '\ud800'),
      ),
      { maxLength: 60 },
    ).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), noise), (text) => {
        const plan = parsePlan(text);
        expect(planSchema.safeParse(plan).success).toBe(true);
        const lineCount = text.split(/\r\n|\r|\n/).length;
        for (const warning of plan.warnings) expect(warning.line).toBeLessThanOrEqual(lineCount);
        if (plan.tasks.length === 0) expect(plan.warnings.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('given very long lines of the characters the parser trims or splits on, when parsed, then it stays fast', () => {
    for (const char of ['，', ' ', '#', '（', '、', '牵头单位：', '等', '\u3000', '（一）', '6月底']) {
      const long = char.repeat(Math.ceil(60_000 / char.length));
      const started = performance.now();
      parsePlan(`${long}x\n1. ${long}x\n牵头单位：${long}市发改委${long}x\n# ${long}x #\n（${long}）${' '.repeat(60_000)}x`);
      expect(performance.now() - started, JSON.stringify(char)).toBeLessThan(3_000);
    }
  });
});
