import * as v from 'valibot';
import { clamdAddress } from './clamd.js';

/** File types an agent may upload unless the operator says otherwise: documents and images, no active content (SVG, HTML). */
export const DEFAULT_TYPES = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/csv', 'text/markdown', 'application/json',
  'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
];

const MiB = 1024 * 1024;
const bytes = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));
const folder = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));

/** `https://media.example.com:8443` as given, or a bare host (`media.example.com`, `files:9000`), which means https. */
export function mediaOrigin(entry: string): string | undefined {
  const parts = /^(https?:\/\/)?[^/?#@\\\s]+\/?$/i.exec(entry);
  const url = parts && (parts[1] ? entry : `https://${entry}`);
  return url && URL.canParse(url) ? new URL(url).origin : undefined;
}
const MediaHost = v.pipe(
  v.string(),
  v.maxLength(300),
  v.check((entry) => mediaOrigin(entry) !== undefined, 'expected an origin such as https://media.example.com:8443, or a host name (which means https)'),
  v.transform((entry) => mediaOrigin(entry)!),
);

/** Virus scanning of every upload by clamd, before Taiga sees a byte. */
export const ScanOptions = v.strictObject({
  /** Where clamd listens: `host:port` (its TCPSocket) or the absolute path of its LocalSocket. */
  clamd: v.pipe(
    v.string(),
    v.maxLength(300),
    v.check((text) => clamdAddress(text) !== undefined, 'expected host:port (127.0.0.1:3310) or the absolute path of clamd\'s unix socket'),
  ),
  /** The whole scan of one file (connecting, sending, the verdict) must fit in this. */
  timeoutSeconds: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(3600)), 30),
  /** clamd's StreamMaxLength: a larger file is refused before it is sent (clamd would cut it off). */
  maxBytes: v.optional(bytes(4096 * MiB), 25 * MiB),
  /** When clamd cannot be reached or does not answer in time: send the file unscanned (true) or refuse it (false). */
  failOpen: v.optional(v.boolean(), false),
});
export type ScanOptions = v.InferOutput<typeof ScanOptions>;

/** `plugins.options.attachments`: the limits of every upload and download, checked before Taiga sees a byte. */
export const AttachmentOptions = v.strictObject({
  /** Folders local files may be uploaded from (after following links). None: only inline base64 content. */
  uploadRoots: v.optional(v.pipe(v.array(folder), v.maxLength(50)), []),
  /** `path` names the server's disk: a stdio feature, off for HTTP callers unless the operator turns it on. */
  pathUploadsOverHttp: v.optional(v.boolean(), false),
  maxUploadBytes: v.optional(bytes(1024 * MiB), 10 * MiB),
  /** MIME types allowed for upload; `image/*` style patterns work. */
  allowedTypes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(200)), DEFAULT_TYPES),
  /** Downloads up to this size come back inline (a resource content block). */
  maxInlineBytes: v.optional(bytes(50 * MiB), MiB),
  /** Where larger downloads are saved (never overwriting). None: larger files are refused. */
  downloadDir: v.optional(folder),
  /** The most the files in downloadDir may hold together; a save that would pass it is refused. */
  downloadDirMaxBytes: v.optional(bytes(1024 * 1024 * MiB), 1024 * MiB),
  /** In read-only mode downloads are inline only, unless this allows saving to downloadDir. */
  saveInReadOnly: v.optional(v.boolean(), false),
  maxDownloadBytes: v.optional(bytes(4096 * MiB), 100 * MiB),
  /** Origins (besides Taiga's own and its parent domain's) attachments may be downloaded from. */
  mediaHosts: v.optional(v.pipe(v.array(MediaHost), v.maxLength(50)), []),
  /** None: uploads are not scanned. */
  scan: v.optional(ScanOptions),
});
export type AttachmentOptions = v.InferOutput<typeof AttachmentOptions>;
