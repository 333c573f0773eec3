/**
 * A small, strict XML 1.0 well-formedness parser for tests, written without
 * regular expressions: it walks the text character by character, checks tag
 * nesting, attribute syntax, entity and character references and the allowed
 * character set, and returns the element tree with references decoded.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Direct text content, references decoded. */
  text: string;
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isNameStart = (ch: string) => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === ':';
const isNameChar = (ch: string) => isNameStart(ch) || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.';

export function parseXml(source: string): XmlElement {
  // Iterating a string yields code points, so surrogate pairs are checked whole.
  let offset = 0;
  for (const ch of source) {
    const code = ch.codePointAt(0)!;
    if (!isXmlChar(code) || (code >= 0xd800 && code <= 0xdfff)) throw new Error(`character U+${code.toString(16)} not allowed in XML at offset ${offset}`);
    offset += ch.length;
  }
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${pos}: ${JSON.stringify(source.slice(pos, pos + 30))}`);
  };
  const startsWith = (text: string) => source.startsWith(text, pos);
  const expect = (text: string) => {
    if (!startsWith(text)) fail(`expected ${JSON.stringify(text)}`);
    pos += text.length;
  };
  const skipSpace = () => {
    while (pos < source.length && isSpace(source[pos])) pos++;
  };
  const name = (): string => {
    const start = pos;
    if (!isNameStart(source[pos] ?? '')) fail('expected a name');
    while (pos < source.length && isNameChar(source[pos])) pos++;
    return source.slice(start, pos);
  };
  const reference = (): string => {
    expect('&');
    const end = source.indexOf(';', pos);
    if (end < 0 || end - pos > 10) fail('unterminated reference');
    const body = source.slice(pos, end);
    pos = end + 1;
    if (body.startsWith('#')) {
      const hex = body[1] === 'x';
      const digits = body.slice(hex ? 2 : 1);
      let code = 0;
      for (const d of digits) {
        const value = hex ? '0123456789abcdef'.indexOf(d.toLowerCase()) : '0123456789'.indexOf(d);
        if (value < 0) fail(`bad character reference &${body};`);
        code = code * (hex ? 16 : 10) + value;
      }
      if (!digits.length || !isXmlChar(code)) fail(`character reference &${body}; is not an XML character`);
      return String.fromCodePoint(code);
    }
    if (!(body in named)) fail(`unknown entity &${body};`);
    return named[body];
  };
  const attrValue = (): string => {
    const quote = source[pos];
    if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
    pos++;
    let value = '';
    while (source[pos] !== quote) {
      if (pos >= source.length) fail('unterminated attribute value');
      const ch = source[pos];
      if (ch === '<') fail("'<' in an attribute value");
      if (ch === '&') value += reference();
      else {
        value += isSpace(ch) ? ' ' : ch; // attribute-value normalisation
        pos++;
      }
    }
    pos++;
    return value;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    expect('<');
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = isSpace(source[pos] ?? '');
      skipSpace();
      if (startsWith('/>')) {
        pos += 2;
        return el;
      }
      if (startsWith('>')) {
        pos++;
        break;
      }
      if (!hadSpace) fail('expected whitespace before an attribute');
      const key = name();
      if (key in el.attrs) fail(`duplicate attribute ${key}`);
      skipSpace();
      expect('=');
      skipSpace();
      el.attrs[key] = attrValue();
    }
    for (;;) {
      if (pos >= source.length) fail(`unclosed <${el.name}>`);
      if (startsWith('</')) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        expect('>');
        return el;
      }
      if (startsWith('<!--')) skipMisc();
      else if (startsWith('<')) el.children.push(element());
      else if (startsWith('&')) el.text += reference();
      else if (startsWith(']]>')) fail("']]>' in text");
      else {
        // A literal CR is normalised to LF by XML parsers, so only &#13; keeps one.
        el.text += source[pos] === '\r' ? (source[pos + 1] === '\n' ? '' : '\n') : source[pos];
        pos++;
      }
    }
  };

  if (startsWith('<?xml')) {
    const end = source.indexOf('?>', pos);
    if (end < 0) fail('unterminated XML declaration');
    pos = end + 2;
  }
  skipMisc();
  const root = element();
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Child elements named `name`. */
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
