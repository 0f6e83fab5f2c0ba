import { smsIntent } from './sms-intent';

describe(smsIntent.name, () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOPALL',
    'unsubscribe',
    'CANCEL',
    'end',
    'QUIT',
    'REVOKE',
    'OPTOUT',
    'stop!',
  ])('%p opts out', (text) => expect(smsIntent(text)).toBe('opt_out'));

  it.each(['START', 'unstop', 'Start'])('%p opts back in', (text) => expect(smsIntent(text)).toBe('opt_in'));

  it.each(['HELP', 'help', 'Help!'])('%p asks for help', (text) => expect(smsIntent(text)).toBe('help'));

  it.each(['thanks', 'Thank you', 'THANK  YOU!', 'ok', 'OK.', 'okay', 'thx', '👍', '🙏🏽', '❤️', '👨‍👩‍👧'])(
    '%p is a bare acknowledgement',
    (text) => expect(smsIntent(text)).toBe('ack'),
  );

  it.each([
    'Please stop sending me the wrong parcel',
    'stop it now',
    'help me with my order',
    'thanks, but it is still broken',
    'ok so the order never came',
    '👍👍',
    'ok 👍',
    '',
    'Hi ACME, my order #42 is late',
  ])('%p is a message for an agent', (text) => expect(smsIntent(text)).toBe('message'));
});
