/**
 * What a DJI result code (the `result` of a dock's services_reply, reported by the platform as
 * `response_code`) means and what to do about it, in English and Simplified Chinese: a short form
 * for status badges and a sentence for messages. The codes and their groups are DJI's; the texts
 * are written for this project. Node-RED-free: the node adapters pick the language.
 */
import { DJI_RESULT_CODE_ROWS } from './dji-result-codes-data';

export const DJI_CODE_GROUPS = {
  firmware: { en: 'firmware update', zh: '固件升级' },
  taskPrep: { en: 'task delivery and preparation', zh: '任务下发与准备' },
  dockLink: { en: 'dock communication', zh: '机场通信' },
  aircraftPrep: { en: 'aircraft preparation and camera setup', zh: '飞行器准备与相机设置' },
  media: { en: 'aircraft media and storage', zh: '飞行器媒体与存储' },
  dockTask: { en: 'dock task state', zh: '机场任务状态' },
  waylineRun: { en: 'route flight', zh: '航线飞行' },
  waylineStop: { en: 'route stop and breakpoint', zh: '航线中止与断点' },
  logs: { en: 'logs and uploads', zh: '日志与上传' },
  cloudCommand: { en: 'cloud command', zh: '云端指令' },
  cellular: { en: '4G dongle and eSIM', zh: '4G 模块与 eSIM' },
  payload: { en: 'camera, speaker and payload', zh: '相机、喊话器与负载' },
  caac: { en: 'CAAC registration', zh: '民航局实名登记' },
  flytoPlan: { en: 'fly-to planning', zh: '指点飞行规划' },
  flytoRun: { en: 'fly-to and take-off', zh: '指点飞行与起飞' },
  multiDock: { en: 'multi-dock and fly-to exit', zh: '多机场与指点飞行退出' },
  taskError: { en: 'task error', zh: '任务异常' },
  livestream: { en: 'livestream', zh: '直播' },
  dockHardware: { en: 'dock hardware and environment', zh: '机场硬件与环境' },
  setupAbort: { en: 'cancelling task preparation', zh: '取消任务准备' },
} as const;

export type DjiCodeGroup = keyof typeof DJI_CODE_GROUPS;
export type DjiLanguage = 'en' | 'zh';

/** [English badge text, English sentence, Chinese badge text, Chinese sentence]. */
export type DjiCodeTexts = readonly [string, string, string, string];
export type DjiCodeRow = readonly [code: number, group: DjiCodeGroup, texts: DjiCodeTexts];

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

const BY_CODE = new Map<number, DjiCodeRow>(DJI_RESULT_CODE_ROWS.map((row) => [row[0], row]));

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
  const [, group, texts] = row;
  const zh = language === 'zh';
  return {
    code: n,
    group,
    groupText: DJI_CODE_GROUPS[group][language],
    short: zh ? texts[2] : texts[0],
    text: zh ? texts[3] : texts[1],
  };
}
