import { extname } from 'node:path';

/** What every file system the desktop users have takes in one name (ext4, APFS: bytes; NTFS: UTF-16 units, never more than the bytes). */
const MAX_NAME_BYTES = 255;
/** Room for the ` (999)` that freshFile may add. */
const SUFFIX_BYTES = 6;
/** A longer "extension" is part of the name, not a type to keep. */
const MAX_EXTENSION_BYTES = 32;
/** MS-DOS device names Windows still reserves, whatever the extension. */
const DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');
const graphemes = new Intl.Segmenter(); // grapheme clusters, the default

/** The longest start of `text` within `max` UTF-8 bytes, cut between characters (graphemes, else code points). */
export function cutToBytes(text: string, max: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (byteLength(out + segment) <= max) {
      out += segment;
      continue;
    }
    // One grapheme longer than what is left (a long run of combining marks): its code points that fit.
    for (const point of segment) {
      if (byteLength(out + point) > max) break;
      out += point;
    }
    break;
  }
  return out;
}

/**
 * A name Taiga gave a file, made safe to create in the download folder of any OS: no separators,
 * control or Windows-reserved characters, no leading dot, no lone surrogate, at most
 * MAX_NAME_BYTES - SUFFIX_BYTES bytes with its extension kept.
 */
export function savedName(name: string): string {
  let safe = name
    .toWellFormed()
    .replace(/[/\\\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, '');
  if (DEVICE.test(safe)) safe = `_${safe}`;
  if (safe === '') return 'attachment';
  const ext = extname(safe);
  const keep = byteLength(ext) <= MAX_EXTENSION_BYTES ? ext : '';
  const budget = MAX_NAME_BYTES - SUFFIX_BYTES;
  return cutToBytes(safe.slice(0, safe.length - keep.length), budget - byteLength(keep)) + keep;
}
