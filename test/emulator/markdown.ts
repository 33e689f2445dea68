// A small Markdown renderer for wiki pages, /wiki/render and comment_html:
// headings (with the id python-markdown's toc gives them), paragraphs, lists,
// fenced code, emphasis, code spans, links and Taiga's [[wiki links]]. It
// renders what Taiga renders for plain texts byte for byte; richer Markdown
// only approximately.
import { slugify } from './template.js';

/** The front-end address of the recording (README: rendered wiki links point there). */
export const FRONT_URL = 'http://127.0.0.1:9001';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inline(text: string, projectSlug: string | undefined): string {
  const codes: string[] = [];
  let out = escape(text).replace(/`([^`]+)`/g, (_m, c: string) => `\u0000${codes.push(`<code>${c}</code>`) - 1}\u0000`);
  out = out.replace(/\[\[([^\]|]+)(?:\|([^\]]+))?\]\]/g, (_m, slug: string, title?: string) => {
    const href = projectSlug ? `${FRONT_URL}/project/${projectSlug}/wiki/${slugify(slug)}` : slugify(slug);
    return `<a class="reference wiki" href="${href}" title="${title ?? slug}">${title ?? slug}</a>`;
  });
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2" target="_blank">$1</a>');
  out = out.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/__(.+?)__/g, '<strong>$1</strong>');
  out = out.replace(/\*(.+?)\*/g, '<em>$1</em>').replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>');
  return out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]!);
}

function block(lines: string[], projectSlug: string | undefined): string {
  const first = lines[0]!;
  const heading = /^(#{1,6})\s+(.*?)\s*#*$/.exec(first);
  if (heading && lines.length === 1) {
    const level = heading[1]!.length;
    return `<h${level} id="${slugify(heading[2]!)}">${inline(heading[2]!, projectSlug)}</h${level}>`;
  }
  if (lines.every((l) => /^\s*[-*+]\s+/.test(l))) {
    return `<ul>\n${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*+]\s+/, ''), projectSlug)}</li>`).join('\n')}\n</ul>`;
  }
  if (lines.every((l) => /^\s*\d+\.\s+/.test(l))) {
    return `<ol>\n${lines.map((l) => `<li>${inline(l.replace(/^\s*\d+\.\s+/, ''), projectSlug)}</li>`).join('\n')}\n</ol>`;
  }
  return `<p>${inline(lines.join('\n'), projectSlug)}</p>`;
}

/** The same sample comments and pages are rendered at every reset; a bounded memo spares the work. */
const rendered = new Map<string, string>();

/** Markdown → HTML; `projectSlug` makes [[links]] point at that project's wiki in the front end. */
export function renderMarkdown(text: string, projectSlug?: string): string {
  const key = `${projectSlug ?? ''}\u0000${text}`;
  const known = rendered.get(key);
  if (known !== undefined) return known;
  if (rendered.size >= 2000) rendered.clear();
  const html = render(text, projectSlug);
  rendered.set(key, html);
  return html;
}

function render(text: string, projectSlug: string | undefined): string {
  const out: string[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) out.push(block(pending, projectSlug));
    pending = [];
  };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      flush();
      const code: string[] = [];
      for (i += 1; i < lines.length && !/^```/.test(lines[i]!); i++) code.push(lines[i]!);
      out.push(`<pre><code>${escape(code.join('\n'))}\n</code></pre>`);
    } else if (line.trim() === '') {
      flush();
    } else if (/^#{1,6}\s/.test(line)) {
      flush();
      pending = [line];
      flush();
    } else {
      pending.push(line);
    }
  }
  flush();
  return out.join('\n');
}
