// XML 1.0 cannot carry most C0 controls even as character references, nor
// unpaired surrogates; captured output has both (ANSI colours, binary noise).
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const invalid = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Drops ANSI colour codes and shows other unrepresentable characters as `\xNN` / `\uNNNN`. */
function representable(text: string): string {
  return text.replace(ansi, '').replace(invalid, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Escapes text content of an element. */
export function xmlText(text: string): string {
  return representable(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes; line breaks and tabs survive as references. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
