const DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/**
 * The value of a Chinese numeral below 1000 (一 → 1, 十二 → 12, 二十五 → 25, 一百零三 → 103),
 * or of a digit-by-digit one (二〇二三 → 2023); null for anything else.
 */
export function parseChineseNumeral(numeral: string): number | null {
  if (numeral === '') return null;
  if (!/[十百]/.test(numeral)) {
    let value = 0;
    for (const char of numeral) {
      const digit = DIGITS[char];
      if (digit === undefined) return null;
      value = value * 10 + digit;
    }
    return value;
  }
  const match = /^(?:([一二两三四五六七八九])百)?(?:零)?(?:([一二三四五六七八九])?十)?([一二三四五六七八九])?$/.exec(numeral);
  if (!match) return null;
  const [, hundreds, tens, ones] = match;
  const hasTen = numeral.includes('十');
  return (
    (hundreds ? (DIGITS[hundreds] ?? 0) * 100 : 0) +
    (hasTen ? (tens ? (DIGITS[tens] ?? 0) : 1) * 10 : 0) +
    (ones ? (DIGITS[ones] ?? 0) : 0)
  );
}
