import * as v from 'valibot';

/** File types an agent may upload unless the operator says otherwise: documents and images, no active content (SVG, HTML). */
export const DEFAULT_TYPES = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/csv', 'text/markdown', 'application/json',
  'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
];

const MiB = 1024 * 1024;
const bytes = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));
const folder = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));

/** `plugins.options.attachments`: the limits of every upload and download, checked before Taiga sees a byte. */
export const AttachmentOptions = v.strictObject({
  /** Folders local files may be uploaded from (after following links). None: only inline base64 content. */
  uploadRoots: v.optional(v.pipe(v.array(folder), v.maxLength(50)), []),
  maxUploadBytes: v.optional(bytes(1024 * MiB), 10 * MiB),
  /** MIME types allowed for upload; `image/*` style patterns work. */
  allowedTypes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(200)), DEFAULT_TYPES),
  /** Downloads up to this size come back inline (a resource content block). */
  maxInlineBytes: v.optional(bytes(50 * MiB), MiB),
  /** Where larger downloads are saved (never overwriting). None: larger files are refused. */
  downloadDir: v.optional(folder),
  maxDownloadBytes: v.optional(bytes(4096 * MiB), 100 * MiB),
  /** Hosts (besides Taiga's own and its parent domain's) attachments may be downloaded from. */
  mediaHosts: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(255))), v.maxLength(50)), []),
});
export type AttachmentOptions = v.InferOutput<typeof AttachmentOptions>;

const EXTENSIONS: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', pdf: 'application/pdf',
  txt: 'text/plain', log: 'text/plain', csv: 'text/csv', md: 'text/markdown', json: 'application/json', zip: 'application/zip', html: 'text/html', htm: 'text/html',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

export const typeOfName = (name: string): string => EXTENSIONS[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

export const typeAllowed = (type: string, allowed: readonly string[]): boolean =>
  allowed.some((pattern) => pattern === type || (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))));
