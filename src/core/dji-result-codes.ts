/**
 * What a DJI result code (the `result` of a dock's services_reply, reported by the platform as
 * `response_code`) means and what to do about it, in English and Simplified Chinese: a short form
 * for status badges and a sentence for messages. Node-RED-free: the node adapters pick the language.
 *
 * The table is data (dji-result-codes.json): the groups in words, texts that several codes share
 * (by name), and one row per code, [code, group, texts or the name of shared texts], where texts are
 * [English badge, English sentence, Chinese badge, Chinese sentence]. Codes and groups are DJI's
 * (the DJI Cloud API error-code table); every text is written for this project.
 */
import table from './dji-result-codes.json';

export type DjiCodeGroup = keyof typeof table.groups;
export type DjiLanguage = 'en' | 'zh';

export const DJI_CODE_GROUPS: Readonly<Record<DjiCodeGroup, { readonly en: string; readonly zh: string }>> = table.groups;

/** [English badge text, English sentence, Chinese badge text, Chinese sentence]. */
type CodeTexts = readonly [string, string, string, string];

export interface DjiResultCode {
  code: number;
  group: DjiCodeGroup;
  /** Group in words, e.g. "dock hardware and environment". */
  groupText: string;
  /** A few words for a status badge, e.g. "not in debug mode". */
  short: string;
  /** What happened and what to do, e.g. "the dock is not in remote debug mode …; send debug_mode_open first". */
  text: string;
}

function isCodeTexts(value: unknown): value is CodeTexts {
  return Array.isArray(value) && value.length === 4 && value.every((s) => typeof s === 'string' && s !== '');
}

function isGroup(value: unknown): value is DjiCodeGroup {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table.groups, value);
}

/** The rows by code; a malformed row stops the module from loading (a test loads it). */
function readTable(): Map<number, { group: DjiCodeGroup; texts: CodeTexts }> {
  const shared: Readonly<Record<string, unknown>> = table.sharedTexts;
  const byCode = new Map<number, { group: DjiCodeGroup; texts: CodeTexts }>();
  for (const row of table.codes as readonly unknown[]) {
    const [code, group, ref] = Array.isArray(row) ? row : [];
    const texts: unknown = typeof ref === 'string' && Object.prototype.hasOwnProperty.call(shared, ref) ? shared[ref] : ref;
    if (typeof code !== 'number' || !Number.isInteger(code) || !isGroup(group) || !isCodeTexts(texts) || byCode.has(code)) {
      throw new Error(`dji-result-codes.json: the row of code ${String(code)} is not [code, group, texts]`);
    }
    byCode.set(code, { group, texts });
  }
  return byCode;
}

const BY_CODE = readTable();

/** The codes described, in ascending order. */
export function djiResultCodes(): number[] {
  return [...BY_CODE.keys()].sort((a, b) => a - b);
}

/**
 * The description of a DJI result code in `language`, or undefined for a code not in the table
 * (and for 0, success). Accepts the code as a number or as the platform's string ("514153").
 */
export function describeDjiResultCode(code: unknown, language: DjiLanguage = 'en'): DjiResultCode | undefined {
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\s*\d{1,9}\s*$/.test(code) ? Number(code) : NaN;
  const row = Number.isInteger(n) ? BY_CODE.get(n) : undefined;
  if (!row) return undefined;
  const zh = language === 'zh';
  return {
    code: n,
    group: row.group,
    groupText: DJI_CODE_GROUPS[row.group][language],
    short: zh ? row.texts[2] : row.texts[0],
    text: zh ? row.texts[3] : row.texts[1],
  };
}
