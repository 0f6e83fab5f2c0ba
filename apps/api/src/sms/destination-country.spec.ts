import { countryOf, destinationBlocked, isCountryCode } from './destination-country';

describe(countryOf.name, () => {
  it.each([
    ['+447400123456', 'GB'],
    ['+447700900123', 'GB'],
    ['+12025550123', 'US'],
    ['+15551234567', 'US'],
    ['+2348031234567', 'NG'],
    ['+33612345678', 'FR'],
    ['+882351234567', undefined],
  ])('%s is in %s', (number, country) => {
    expect(countryOf(number)).toBe(country);
  });

  it('blocks numbers outside the allowed countries, saying which', () => {
    expect(destinationBlocked('+447400123456', ['GB'])).toBeUndefined();
    expect(destinationBlocked('+2348031234567', ['GB', 'US'])).toBe(
      'Not sent: NG numbers are outside SMS_ALLOWED_COUNTRIES (GB, US)',
    );
  });

  it('knows ISO country codes', () => {
    expect([isCountryCode('GB'), isCountryCode('XX'), isCountryCode('gb')]).toEqual([true, false, false]);
  });
});
