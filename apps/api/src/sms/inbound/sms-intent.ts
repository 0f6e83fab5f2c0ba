/** What an inbound SMS asks for, beyond being a message for an agent. */
export type SmsIntent = 'message' | 'ack' | 'opt_out' | 'opt_in' | 'help';

// The industry's standard keywords (CTIA; Vonage and Twilio honour the same set).
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP']);
const ACKNOWLEDGEMENTS = new Set([
  'thanks',
  'thank you',
  'thankyou',
  'thanks a lot',
  'many thanks',
  'thank you very much',
  'thx',
  'ty',
  'ok',
  'okay',
  'k',
  'cheers',
]);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const PICTOGRAPHIC = /^\p{Extended_Pictographic}/u;

/** A keyword counts only when it is the whole message (give or take case, spaces and a final `.` or `!`). */
export function smsIntent(text: string): SmsIntent {
  const bare = text
    .trim()
    .replace(/[.!]+$/, '')
    .trim();
  const keyword = bare.toUpperCase();
  if (OPT_OUT.has(keyword)) return 'opt_out';
  if (OPT_IN.has(keyword)) return 'opt_in';
  if (HELP.has(keyword)) return 'help';
  if (ACKNOWLEDGEMENTS.has(bare.toLowerCase().replace(/\s+/g, ' ')) || isLoneEmoji(bare)) return 'ack';
  return 'message';
}

function isLoneEmoji(text: string): boolean {
  // The longest single emoji (a family, a flag with tags) is a few code units; skip real messages fast.
  if (text.length === 0 || text.length > 16) return false;
  const [first, second] = graphemes.segment(text);
  return first !== undefined && second === undefined && PICTOGRAPHIC.test(first.segment);
}
