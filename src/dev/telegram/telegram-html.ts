// Telegram's HTML parse mode as the Bot API applies it (TDLib's parse_html): the supported tags,
// the four named entities and numeric ones, and the exact error texts. The visible text it
// returns is what Telegram measures (in UTF-16 code units, JavaScript's own string length) and
// stores; tags and entities do not count, `&lt;` is one character.

/** The tags of https://core.telegram.org/bots/api#html-style; any other is refused. */
const TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'tg-time',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The visible text and its entities (`type:offset:length[:argument]`, offsets in UTF-16 units). */
export interface ParsedText {
  text: string;
  entities: readonly string[];
}

export type ParseResult = { ok: true; parsed: ParsedText } | { ok: false; error: string };

interface OpenTag {
  name: string;
  argument: string;
  offset: number;
}

// TDLib's is_space: the end of the text (read as NUL) counts as a space.
const isSpace = (c: string) =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\0';
const isNameTokenChar = (c: string) => /^[A-Za-z0-9.-]$/.test(c);

/**
 * Parses `source` as Telegram HTML. Errors are Telegram's "can't parse entities" reasons, with
 * offsets in UTF-8 bytes as Telegram reports them.
 */
export function parseTelegramHtml(source: string): ParseResult {
  const at = (i: number) => source[i] ?? '\0';
  const bytes = (i: number) => Buffer.byteLength(source.slice(0, i));
  const fail = (error: string): ParseResult => ({ ok: false, error });
  let text = '';
  const entities: string[] = [];
  const open: OpenTag[] = [];

  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '&') {
      const entity = decodeEntity(source, i);
      if (entity) {
        text += entity.char;
        i = entity.end - 1;
        continue;
      }
    }
    if (c !== '<') {
      text += c;
      continue;
    }

    const begin = i++;
    if (at(i) !== '/') {
      while (!isSpace(at(i)) && at(i) !== '>') i++;
      if (i >= source.length) return fail(`Unclosed start tag at byte offset ${bytes(begin)}`);
      const name = source.slice(begin + 1, i).toLowerCase();
      if (!TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${bytes(begin)}`);

      let argument = '';
      while (at(i) !== '>') {
        while (i < source.length && isSpace(at(i))) i++;
        if (at(i) === '>') break;
        const attributeBegin = i;
        while (!isSpace(at(i)) && at(i) !== '=' && at(i) !== '>') i++;
        const attribute = source.slice(attributeBegin, i);
        if (attribute === '') {
          return fail(`Empty attribute name in the tag "${name}" at byte offset ${bytes(begin)}`);
        }
        while (i < source.length && isSpace(at(i))) i++;
        if (at(i) !== '=') {
          if (name === 'blockquote' && attribute === 'expandable') continue;
          return fail(
            `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${bytes(begin)}`,
          );
        }
        i++;
        while (i < source.length && isSpace(at(i))) i++;
        if (i >= source.length) return fail(`Unclosed start tag "${name}" at byte offset ${bytes(begin)}`);

        let value = '';
        if (at(i) !== "'" && at(i) !== '"') {
          const tokenBegin = i;
          while (isNameTokenChar(at(i))) i++;
          value = source.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(at(i)) && at(i) !== '>') {
            return fail(`Unexpected end of name token at byte offset ${bytes(tokenBegin)}`);
          }
        } else {
          const quote = source[i++];
          while (i < source.length && source[i] !== quote) {
            const entity = source[i] === '&' ? decodeEntity(source, i) : undefined;
            if (entity) {
              value += entity.char;
              i = entity.end;
            } else {
              value += source[i++];
            }
          }
          if (source[i] === quote) i++;
        }
        if (i >= source.length) return fail(`Unclosed start tag at byte offset ${bytes(begin)}`);

        if (name === 'a' && attribute === 'href') argument = value;
        else if (name === 'code' && attribute === 'class' && value.startsWith('language-'))
          argument = value.slice('language-'.length);
        else if (name === 'span' && attribute === 'class' && value.startsWith('tg-'))
          argument = value.slice('tg-'.length);
        else if (name === 'tg-emoji' && attribute === 'emoji-id') argument = value;
      }
      if (name === 'span' && argument !== 'spoiler') {
        return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${bytes(begin)}`);
      }
      open.push({ name, argument, offset: text.length });
      continue;
    }

    if (open.length === 0) return fail(`Unexpected end tag at byte offset ${bytes(begin)}`);
    while (!isSpace(at(i)) && at(i) !== '>') i++;
    const endName = source.slice(begin + 2, i).toLowerCase();
    while (i < source.length && isSpace(at(i))) i++;
    if (at(i) !== '>') return fail(`Unclosed end tag at byte offset ${bytes(begin)}`);
    const tag = open.pop() as OpenTag;
    if (endName !== '' && endName !== tag.name) {
      return fail(
        `Unmatched end tag at byte offset ${bytes(begin)}, expected "</${tag.name}>", found "</${endName}>"`,
      );
    }
    if (text.length > tag.offset) {
      const argument = tag.argument ? `:${tag.argument}` : '';
      entities.push(`${entityType(tag.name)}:${tag.offset}:${text.length - tag.offset}${argument}`);
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  if (!text.isWellFormed()) {
    return fail(
      'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
    );
  }
  return { ok: true, parsed: { text, entities: entities.sort() } };
}

/** `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NN;`, `&#xHH;` (the `;` is optional); undefined for a plain `&`. */
function decodeEntity(source: string, start: number): { char: string; end: number } | undefined {
  let end = start + 1;
  let code: number;
  if (source[end] === '#') {
    end++;
    const hex = source[end] === 'x';
    if (hex) end++;
    const digits = hex ? /^[0-9A-Fa-f]*/ : /^[0-9]*/;
    const found = digits.exec(source.slice(end))?.[0] ?? '';
    end += found.length;
    code = found === '' ? 0 : Number.parseInt(found, hex ? 16 : 10);
    if (code === 0 || code >= 0x10ffff || end - start >= 10) return undefined;
  } else {
    const name = /^[A-Za-z]*/.exec(source.slice(end))?.[0] ?? '';
    const char = NAMED_ENTITIES[name];
    if (char === undefined) return undefined;
    end += name.length;
    code = char.charCodeAt(0);
  }
  if (source[end] === ';') end++;
  // A numeric entity may name a lone surrogate: kept as is, so the text fails the UTF-8 check.
  return { char: code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code), end };
}

function entityType(tag: string): string {
  switch (tag) {
    case 'b':
    case 'strong':
      return 'bold';
    case 'i':
    case 'em':
      return 'italic';
    case 'u':
    case 'ins':
      return 'underline';
    case 's':
    case 'strike':
    case 'del':
      return 'strikethrough';
    case 'span':
    case 'tg-spoiler':
      return 'spoiler';
    case 'a':
      return 'text_link';
    default:
      return tag;
  }
}
