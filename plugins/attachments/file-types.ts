import * as v from 'valibot';
import { refuse } from './refuse.js';

/** RFC 9110 token characters: what a MIME type and its parameters are made of. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MIME = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=${TOKEN})*$`);

/** `type/subtype`, optionally `; name=value` parameters of plain tokens: nothing that could end a header or a quoted string. */
export const MimeType = v.pipe(v.string(), v.maxLength(200), v.regex(MIME, 'expected a MIME type such as text/plain'));

/**
 * The types names are judged by. Active content (SVG, HTML, XML, scripts) is listed so that a
 * file named for it is recognised whatever type the caller declares; a name with an extension not
 * here has no type of its own and counts as application/octet-stream.
 */
const EXTENSIONS: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff',
  svg: 'image/svg+xml', svgz: 'image/svg+xml', pdf: 'application/pdf', txt: 'text/plain', log: 'text/plain', csv: 'text/csv', md: 'text/markdown',
  markdown: 'text/markdown', json: 'application/json', zip: 'application/zip', html: 'text/html', htm: 'text/html', shtml: 'text/html',
  xhtml: 'application/xhtml+xml', xml: 'application/xml', js: 'text/javascript', mjs: 'text/javascript', css: 'text/css',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
};
const UNKNOWN = 'application/octet-stream';

/** The type a file's name gives it (its last extension), undefined when the extension is not a known one. */
export const typeOfName = (name: string): string | undefined => {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
};

/** `text/plain; charset=utf-8` → `text/plain`. */
const essence = (type: string): string => type.split(';')[0]!.trim().toLowerCase();

const typeAllowed = (type: string, allowed: readonly string[]): boolean =>
  allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    return pattern === type || (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1)));
  });

/**
 * The Content-Type an upload is sent with. Taiga and the web server in front of it serve a file by
 * its name, so the name's type is judged as well as the declared one: a declared type that is not
 * the name's is refused (`evil.svg` sent as image/png), and so is a name whose type is not allowed.
 */
export function uploadType(name: string, declared: string | undefined, allowed: readonly string[], field: string): string {
  const ofName = typeOfName(name);
  if (declared !== undefined && ofName !== undefined && essence(declared) !== ofName) {
    throw refuse('content_type', `the file name says ${ofName}, not ${essence(declared)}: name the file for its type, or leave content_type out`, { content_type: essence(declared), type_of_name: ofName });
  }
  for (const type of new Set([ofName ?? UNKNOWN, essence(declared ?? ofName ?? UNKNOWN)])) {
    if (!typeAllowed(type, allowed)) throw refuse(field, `${type} files are not allowed here${ofName === undefined ? ' (the file name has no known type)' : ''}`, { content_type: type, allowed_types: allowed });
  }
  return declared ?? ofName ?? UNKNOWN;
}
