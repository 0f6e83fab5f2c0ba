/** A run of plain text, or a web address to show as a link. */
export type TextPiece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?*]+$/;

/**
 * Splits `text` into plain runs and http(s) links, for rendering as text nodes and `<a>` elements (never
 * as HTML). Only addresses the URL parser accepts with http or https become links; a closing bracket or a
 * final full stop stays text unless the address opened it.
 */
export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  const pushText = (value: string) => {
    if (value === '') return;
    const previous = pieces[pieces.length - 1];
    if (previous?.kind === 'text') previous.text += value;
    else pieces.push({ kind: 'text', text: value });
  };
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const address = trimAddress(match[0]);
    pushText(text.slice(last, start));
    if (isWebAddress(address)) pieces.push({ kind: 'link', text: address, href: address });
    else pushText(address);
    last = start + address.length;
  }
  pushText(text.slice(last));
  return pieces;
}

function trimAddress(candidate: string): string {
  let address = candidate;
  for (;;) {
    const trimmed = address.replace(TRAILING, '');
    const closer = trimmed.at(-1);
    const opener = closer === ')' ? '(' : closer === ']' ? '[' : undefined;
    if (opener && count(trimmed, closer!) > count(trimmed, opener)) address = trimmed.slice(0, -1);
    else if (trimmed === address) return address;
    else address = trimmed;
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

function isWebAddress(address: string): boolean {
  try {
    const url = new URL(address);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
