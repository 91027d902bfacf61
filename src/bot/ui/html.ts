// Every message is sent with parse_mode HTML. User-supplied text (titles, names, reviews,
// search queries) goes through `escapeHtml`, or is interpolated with the `html` tag, which
// escapes every value that is not already an `Html` fragment.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text made safe for Telegram's HTML parse mode (the four characters it interprets). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c] ?? c);
}

/** Markup that is already safe: built by `html` or `Html.raw` from trusted text only. */
export class Html {
  readonly value: string;
  private constructor(value: string) {
    this.value = value;
  }

  /** Trusted markup (our own templates and translations), never user input. */
  static raw(markup: string): Html {
    return new Html(markup);
  }

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | bigint | boolean | null | undefined;

function piece(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/** A tagged template: the literal parts are markup, every interpolation is escaped. */
export function html(strings: TemplateStringsArray, ...values: (HtmlValue | readonly HtmlValue[])[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += Array.isArray(value) ? value.map(piece).join('') : piece(value as HtmlValue);
    out += strings[i + 1] ?? '';
  });
  return Html.raw(out);
}
