import { checkSignature, computeSignature, signedString } from './webhook-signature';

/** The test vectors of shared/docs/provider-contracts.md §2.1 (cross-checked with @vonage/sms). */
const params = {
  'api-key': 'abcd1234',
  msisdn: '447700900001',
  to: '447700900000',
  messageId: '0A0000000123ABCD1',
  text: 'Order #42 & status=shipped',
  type: 'text',
  keyword: 'ORDER',
  'message-timestamp': '2020-01-01 12:00:00',
  timestamp: '1577880000',
  nonce: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
};
const secret = 'TEST_SIGNATURE_SECRET';
const signedAt = 1577880000;

const vectors = [
  ['md5hash', '72aa3e97330f37966042f0457e416c15'],
  ['md5', 'ABC1A8A5E9B3D01F4D5FAA277CB18309'],
  ['sha1', '0F2BBE5868D9FF006241AF7F06E5447BD1777EAF'],
  ['sha256', '5F36DB318717A2C37E1CCDB53FD5AD8128F2424E6A7DD5208B83B925D2DDF7D3'],
  [
    'sha512',
    '87659124410EECD4FB18BF53AB8FB9EB25421B6B3109DF0900454F2B26368E8ADF2110BA3D586E71E27A9915B25C0B32C335B461627DD9D5593250415B56D6A9',
  ],
] as const;

describe(checkSignature.name, () => {
  it("builds Vonage's canonical string: sorted keys, leading &, & and = replaced in values only", () => {
    expect(signedString({ ...params, sig: 'ignored' })).toBe(
      '&api-key=abcd1234&keyword=ORDER&message-timestamp=2020-01-01 12:00:00&messageId=0A0000000123ABCD1' +
        '&msisdn=447700900001&nonce=aaaaaaaa-bbbb-cccc-dddd-0123456789ab&text=Order #42 _ status_shipped' +
        '&timestamp=1577880000&to=447700900000&type=text',
    );
  });

  it.each(vectors)('reproduces the %s vector', (method, sig) => {
    expect(computeSignature(params, secret, method)).toBe(sig.toLowerCase());
  });

  it.each(vectors)('accepts a %s signature in either case', (method, sig) => {
    for (const given of [sig.toUpperCase(), sig.toLowerCase()]) {
      expect(checkSignature({ ...params, sig: given }, secret, method, signedAt + 10)).toEqual({
        valid: true,
        nonce: params.nonce,
        signature: sig.toLowerCase(),
      });
    }
  });

  it.each(vectors)('rejects a %s signature made with another method', (method) => {
    const other = vectors.find(([name]) => name !== method)!;
    expect(checkSignature({ ...params, sig: other[1] }, secret, method, signedAt)).toEqual({
      valid: false,
      reason: 'sig does not match',
    });
  });

  it('rejects a tampered parameter and a wrong secret', () => {
    const sig = vectors[0][1];
    expect(checkSignature({ ...params, text: 'Order #43', sig }, secret, 'md5hash', signedAt).valid).toBe(
      false,
    );
    expect(checkSignature({ ...params, sig }, 'OTHER_SECRET', 'md5hash', signedAt).valid).toBe(false);
  });

  it('rejects a signature older or newer than 5 minutes', () => {
    const sig = vectors[3][1];
    expect(checkSignature({ ...params, sig }, secret, 'sha256', signedAt + 300).valid).toBe(true);
    expect(checkSignature({ ...params, sig }, secret, 'sha256', signedAt + 301)).toEqual({
      valid: false,
      reason: 'timestamp is more than 5 minutes away from now',
    });
    expect(checkSignature({ ...params, sig }, secret, 'sha256', signedAt - 301).valid).toBe(false);
  });

  it('rejects unsigned webhooks and signatures without timestamp or nonce', () => {
    const { timestamp: _timestamp, ...withoutTimestamp } = params;
    const { nonce: _nonce, ...withoutNonce } = params;
    expect(checkSignature(params, secret, 'md5hash', signedAt)).toMatchObject({
      valid: false,
      reason: /sig is missing/,
    });
    expect(checkSignature({ ...withoutTimestamp, sig: 'x' }, secret, 'md5hash', signedAt)).toMatchObject({
      valid: false,
      reason: /timestamp/,
    });
    expect(checkSignature({ ...withoutNonce, sig: 'x' }, secret, 'md5hash', signedAt)).toMatchObject({
      valid: false,
      reason: /nonce/,
    });
  });
});
