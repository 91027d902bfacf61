// What a downloaded file may be served as. A file is never a page of ours: content types a browser
// would run (HTML, SVG, XML, scripts) go out as bytes, whichever backend serves them.

const ACTIVE_TYPES =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript|application\/x-shockwave-flash)\b/i;

/** The seller's content type, unless a browser would execute it. */
export function safeDownloadType(contentType: string): string {
  return ACTIVE_TYPES.test(contentType.trim()) ? 'application/octet-stream' : contentType;
}
