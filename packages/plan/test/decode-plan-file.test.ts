import { describe, expect, it } from 'vitest';
import { decodePlanFile, decodePlanText } from '../src/decode-plan-file.ts';
import { PlanInputError } from '../src/plan-input-error.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function refusal(bytes: Uint8Array): PlanInputError {
  try {
    decodePlanFile(bytes);
  } catch (error) {
    if (error instanceof PlanInputError) return error;
    throw error;
  }
  throw new Error('expected a PlanInputError');
}

describe('decodePlanFile', () => {
  it('given UTF-8 text with a BOM and CRLF line ends, then the BOM is dropped and lines end in LF', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('一、简政放权\r\n1. 任务\r牵头单位：市发改委\r\n')]);
    expect(decodePlanFile(bytes)).toBe('一、简政放权\n1. 任务\n牵头单位：市发改委\n');
  });

  it('given a file with NUL bytes, then it is refused as binary, in Chinese and English', () => {
    const error = refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    expect(error.code).toBe('binary');
    expect(error.message).toContain('不是文本文件');
    expect(error.message).toContain('not a text file');
  });

  it('given GBK bytes (invalid UTF-8), then they are decoded as GB18030, detected without being asked', () => {
    expect(decodePlanFile(new Uint8Array([0xd6, 0xd0, 0xce, 0xc4]))).toBe('中文');
    const gbk = new Uint8Array([0xc7, 0xa3, 0xcd, 0xb7, 0xb5, 0xa5, 0xce, 0xbb, 0xa3, 0xba, 0xca, 0xd0, 0xb7, 0xa2, 0xb8, 0xc4, 0xce, 0xaf]);
    expect(decodePlanText(gbk)).toEqual({ text: '牵头单位：市发改委', encoding: 'gb18030' });
  });

  it('given bytes that are neither UTF-8 nor GB18030, then they are refused with a hint to save as UTF-8', () => {
    const error = refusal(new Uint8Array([0x41, 0xff, 0x42]));
    expect(error.code).toBe('encoding');
    expect(error.message).toContain('UTF-8');
    expect(error.name).toBe('PlanInputError');
  });

  it('given UTF-16 text with its BOM, then it is refused as UTF-16, not as binary', () => {
    expect(refusal(new Uint8Array([0xff, 0xfe, 0x00, 0x4e])).code).toBe('utf16');
  });

  it('given an empty file, then it decodes to the empty string', () => {
    expect(decodePlanFile(new Uint8Array())).toBe('');
  });
});
