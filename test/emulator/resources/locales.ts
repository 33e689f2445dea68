// GET /locales: the languages taiga-back 6.7.3 offers (settings.LANGUAGES), not paginated.
import type { RouteTable } from '../context.js';
import { ok } from '../http.js';

const LANGUAGES: [code: string, name: string][] = [
  ['ar', 'العربية\u200f'], ['ca', 'Català'], ['da', 'Dansk'], ['de', 'Deutsch'], ['en', 'English (US)'], ['es', 'Español'],
  ['eu', 'Euskara'], ['fa', 'فارسی'], ['fi', 'Suomi'], ['fr', 'Français'], ['he', 'עברית'], ['it', 'Italiano'], ['ja', '日本語'],
  ['ko', '한국어'], ['lv', 'Latviešu'], ['nb', 'Norsk (bokmål)'], ['nl', 'Nederlands'], ['pl', 'Polski'], ['pt-br', 'Português (Brasil)'],
  ['ru', 'Русский'], ['sr', 'Српски'], ['sv', 'Svenska'], ['tr', 'Türkçe'], ['uk', 'Українська'], ['vi', 'Tiếng Việt'],
  ['zh-hans', '中文(简体)'], ['zh-hant', '中文(香港)'],
];
const BIDI = new Set(['he', 'ar', 'fa', 'ur']);

export const localeRoutes: RouteTable = [
  ['/locales', { GET: () => ok(LANGUAGES.map(([code, name]) => ({ code, name, bidi: BIDI.has(code) }))) }],
];
