// Each pair is a traditional character and its simplified form. The list covers the words the
// parser looks for (labels, deadlines, role words) and the usual words of unit names; it is not
// a general converter.
const TRADITIONAL_PAIRS = [
  '牽牵', '頭头', '單单', '責责', '負负', '時时', '間间', '節节', '點点', '門门', '協协', '辦办',
  '參参', '與与', '長长', '堅坚', '續续', '進进', '內内', '實实', '現现', '關关', '區区', '級级',
  '類类', '個个', '後后', '於于', '並并', '為为', '將将', '務务', '發发', '開开', '專专', '項项',
  '員员', '會会', '導导', '機机', '園园', '廳厅', '場场', '監监', '際际', '衛卫', '財财', '稅税',
  '資资', '農农', '業业', '設设', '計计', '劃划', '規规', '環环', '態态', '體体', '廣广', '電电',
  '視视', '醫医', '療疗', '險险', '勞劳', '動动', '數数', '據据', '營营', '鄉乡', '鎮镇', '縣县',
  '網网', '絡络', '證证', '審审', '執执', '應应', '輸输', '運运', '遊游', '歸归', '屬属', '總总',
  '條条', '產产', '權权', '標标', '準准', '紀纪', '檢检', '組组', '織织', '議议', '經经', '濟济',
  '銀银', '處处', '優优', '簡简', '銷销', '備备', '貿贸', '圖图', '書书', '館馆', '黨党', '學学',
  '層层', '聯联', '顧顾', '傳传', '統统', '護护', '僅仅', '雙双', '隨随', '錄录', '記记', '華华',
  '龍龙', '蘭兰', '齊齐', '烏乌', '鹼碱', '爾尔', '瑪玛', '獨独', '灘滩', '鄰邻', '稱称', '擔担',
  '驗验', '屆届', '歲岁', '廢废', '釋释', '構构', '創创', '頒颁', '佈布', '階阶', '週周',
  '鬆松', '雲云', '陽阳', '漢汉', '億亿', '萬万', '這这', '們们', '來来', '對对', '從从', '過过',
  '還还', '讓让', '與与', '產产', '價价', '補补', '貼贴', '軟软', '領领', '導导', '復复', '處处',
  '違违', '紮扎', '僑侨', '氣气', '熱热', '線线', '碼码', '訊讯', '態态', '範范', '圍围', '廠厂',
  '礦矿', '貨货', '車车', '駕驾', '鐵铁', '勵励', '獎奖', '懲惩', '戶户', '積积', '講讲', '說说',
  '請请', '調调', '輔辅', '導导', '諮咨', '詢询', '質质', '籌筹', '儲储', '據据', '營营',
];

const PUNCTUATION_PAIRS = [
  ':：', ',，', '(（', ')）', ';；', '[〔', ']〕', '［〔', '］〕', '【〔', '】〕', '﹝〔', '﹞〕', '．.',
  '\u3000 ', '\u00a0 ', '\t ',
];

const PUNCTUATION_FOLD = new Map<string, string>(PUNCTUATION_PAIRS.map((pair) => [pair.charAt(0), pair.charAt(1)]));
for (let digit = 0; digit <= 9; digit += 1) {
  PUNCTUATION_FOLD.set(String.fromCharCode(0xff10 + digit), String(digit));
}
const FULL_FOLD = new Map<string, string>([
  ...TRADITIONAL_PAIRS.map((pair): [string, string] => [pair.charAt(0), pair.charAt(1)]),
  ...PUNCTUATION_FOLD,
]);
const FULL_PATTERN = charClass(FULL_FOLD);
const PUNCTUATION_PATTERN = charClass(PUNCTUATION_FOLD);

function charClass(map: ReadonlyMap<string, string>): RegExp {
  const escaped = [...map.keys()].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new RegExp(`[${escaped.join('')}]`, 'g');
}

/**
 * The form the parser matches against: ASCII punctuation as fullwidth (`:` → `：`, `(` → `（`),
 * the bracket family 【】[]［］ as 〔〕, fullwidth digits and `．` as ASCII, odd spaces as a plain
 * space and common traditional characters as simplified. Every character maps to exactly one
 * UTF-16 unit, so an index into the folded string is an index into the original.
 */
export function foldText(text: string): string {
  return text.replace(FULL_PATTERN, (char) => FULL_FOLD.get(char) ?? char);
}

/** Like `foldText`, but characters other than punctuation, digits and spaces are kept as written. */
export function foldPunctuation(text: string): string {
  return text.replace(PUNCTUATION_PATTERN, (char) => PUNCTUATION_FOLD.get(char) ?? char);
}
