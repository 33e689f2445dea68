/**
 * Where a JSON text stops being JSON, as a line and a column (both from 1). JSON.parse's own
 * message quotes the text around the error ("Unexpected token 'h', "…hunter2…" is not valid
 * JSON"), which in a config file may be part of a password; this finds the place without
 * echoing anything.
 */
export function jsonErrorPlace(text: string): { line: number; column: number } {
  const offset = firstBadOffset(text);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

class Bad {
  constructor(readonly at: number) {}
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const HEX = /^[0-9a-fA-F]$/;
const ESCAPES = '"\\/bfnrt';

/**
 * The first character that cannot continue a JSON text (RFC 8259), or text.length when the text
 * ends too soon: the end of the longest prefix of the text that some JSON text starts with.
 */
function firstBadOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new Bad(i);
    i++;
  };
  const digits = () => {
    if (!isDigit(text[i])) throw new Bad(i);
    while (isDigit(text[i])) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const literal = (word: string) => {
    for (const c of word) expect(c);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c.charCodeAt(0) < 0x20) throw new Bad(i);
      i++;
      if (c === '"') return;
      if (c !== '\\') continue;
      if (text[i] === 'u') {
        i++;
        for (let k = 0; k < 4; k++, i++) if (!HEX.test(text[i] ?? '')) throw new Bad(i);
      } else if (text[i] !== undefined && ESCAPES.includes(text[i]!)) i++;
      else throw new Bad(i);
    }
  };
  /** An object or an array, after its opening bracket: items split by commas up to `close`. */
  const items = (close: string, item: () => void): void => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return void i++;
      expect(',');
    }
  };
  const member = () => {
    space();
    string();
    space();
    expect(':');
    value();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return items('}', member);
    if (c === '[') return items(']', value);
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || isDigit(c)) return number();
    throw new Bad(i);
  };
  try {
    value();
    space();
    return i;
  } catch (err) {
    if (err instanceof Bad) return Math.min(err.at, text.length);
    throw err;
  }
}
