import { describe, expect, it } from 'vitest';
import { readPlanDocument } from '../../src/document/read-plan-document.ts';
import { PlanInputError } from '../../src/plan-input-error.ts';
import type { PlanInputErrorCode } from '../../src/plan-input-error.ts';
import { excelFile, wordFile, wordLikeZip, zipFile } from './plan-files.ts';

const PLAN = ['示例市2023年工作要点', '一、重点任务', '1. 推进企业开办全程网办。', '牵头单位：市市场监管局'];

/** The refusal of a file: its code and message; fails when the file is read. */
async function refusal(bytes: Uint8Array, fileName: string, options: { maxBytes?: number } = {}): Promise<{ code: PlanInputErrorCode; message: string }> {
  const error = await readPlanDocument({ bytes, fileName, ...options }).then(
    () => new Error(`${fileName} was read`),
    (caught: unknown) => caught,
  );
  if (!(error instanceof PlanInputError)) throw error;
  expect(error.file).toBe(fileName);
  expect(error.message.startsWith(`“${fileName}”`)).toBe(true);
  expect(error.message).toContain(` / ${fileName}: `);
  return { code: error.code, message: error.message };
}

describe('readPlanDocument refuses, naming the file and the reason', () => {
  it('given an empty file, then it is refused as empty', async () => {
    expect(await refusal(new Uint8Array(), '工作要点.docx')).toMatchObject({ code: 'empty', message: expect.stringContaining('是空文件') });
  });

  it('given a 50 MB upload, then it is refused by the 20 MB default limit, and a configured limit is kept', async () => {
    expect(await refusal(new Uint8Array(50 * 1024 * 1024).fill(0x41), 'big.txt')).toMatchObject({ code: 'too-large', message: expect.stringContaining('上限 20.0 MB') });
    const plan = new TextEncoder().encode(PLAN.join('\n'));
    expect((await refusal(plan, 'plan.txt', { maxBytes: 10 })).code).toBe('too-large');
    await expect(readPlanDocument({ bytes: plan, fileName: 'plan.txt', maxBytes: 1000 })).resolves.toMatchObject({ format: 'text' });
  });

  it('given a zip bomb named .docx that declares a huge size, then it is refused before any parser opens it', async () => {
    const bomb = wordLikeZip([{ name: 'word/bomb.xml', data: new Uint8Array(1024 * 1024), declaredSize: 4_000_000_000 }]);
    expect(await refusal(bomb, '工作要点.docx')).toMatchObject({ code: 'zip-bomb', message: expect.stringContaining('压缩炸弹') });
  });

  it('given a zip bomb named .xlsx that lies about its sizes, then inflating stops at the declared size and it is refused', async () => {
    const liar = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(8 * 1024 * 1024), declaredSize: 1000 },
    ]);
    expect((await refusal(liar, '任务.xlsx')).code).toBe('zip-bomb');
  });

  it('given a macro-enabled .docm or .xlsm, or a .docx that holds vbaProject.bin or declares macros, then it is refused for its macros', async () => {
    const word = await wordFile(PLAN);
    expect((await refusal(word, '工作要点.docm')).code).toBe('macro');
    expect((await refusal(await excelFile((workbook) => void workbook.addWorksheet('任务')), '任务.xlsm')).code).toBe('macro');
    expect((await refusal(wordLikeZip([{ name: 'word/vbaProject.bin', data: 'macro' }]), '工作要点.docx')).code).toBe('macro');
    const declared = wordLikeZip([], '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>');
    expect(await refusal(declared, '工作要点.docx')).toMatchObject({ code: 'macro', message: expect.stringContaining('含有宏') });
  });

  it('given an extension that lies about the bytes (an .xlsx named .docx, a .docx named .txt, text named .docx), then it is refused saying what the file is', async () => {
    const workbook = await excelFile((book) => void book.addWorksheet('任务').addRow(['序号', '任务', '牵头单位']));
    expect(await refusal(workbook, '工作要点.docx')).toMatchObject({ code: 'wrong-extension', message: expect.stringContaining('扩展名是 .docx，但内容是Excel 工作簿') });
    expect((await refusal(await wordFile(PLAN), '工作要点.txt')).code).toBe('wrong-extension');
    expect((await refusal(new TextEncoder().encode(PLAN.join('\n')), '工作要点.docx')).code).toBe('wrong-extension');
  });

  it('given a .doc, .wps or .pdf, then the message says to save it as .docx', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    for (const name of ['工作要点.doc', '工作要点.wps']) {
      expect(await refusal(ole, name)).toMatchObject({ code: 'save-as', message: expect.stringContaining('另存为 .docx') });
    }
    expect(await refusal(new TextEncoder().encode('%PDF-1.7\n...'), '工作要点.pdf')).toMatchObject({ code: 'save-as', message: expect.stringContaining('另存为 .docx') });
  });

  it('given a damaged .docx (a zip cut short), then it is refused as damaged, not as a crash', async () => {
    const word = await wordFile(PLAN);
    expect((await refusal(word.subarray(0, word.length - 40), '工作要点.docx')).code).toBe('damaged');
  });

  it('given a .docx with no task in it, then it is refused with code no-tasks', async () => {
    expect((await refusal(await wordFile(['关于做好有关工作的通知', '各单位：请认真落实。']), '通知.docx')).code).toBe('no-tasks');
  });
});
