/**
 * The catalogue's texts in another language (English is the source; zh-CN.ts holds Chinese).
 * Every text falls back to English on its own, so a translation gap never hides a field.
 */
import type { DjiLanguage } from '../dji-result-codes';
import { ZH_CN_SUMMARIES, ZH_CN_TEXTS } from './zh-CN';

/** A field description or rule condition in `language` (English when there is no translation). */
export function translateCatalogueText(english: string, language: DjiLanguage): string {
  return language === 'zh' ? (ZH_CN_TEXTS[english] ?? english) : english;
}

/** A method's one-line summary in `language` (English when there is no translation). */
export function translateSummary(method: string, english: string, language: DjiLanguage): string {
  return language === 'zh' ? (ZH_CN_SUMMARIES[method] ?? english) : english;
}

/** 'zh' for a language tag such as zh-CN, zh-TW or zh; 'en' for anything else (or nothing). */
export function catalogueLanguage(tag: unknown): DjiLanguage {
  return typeof tag === 'string' && /^zh(?:[-_]|$)/i.test(tag.trim()) ? 'zh' : 'en';
}
