import { marked } from './inbox-search';
import { searchTerms } from './search-terms';

describe(searchTerms.name, () => {
  it('reads a ticket or order number, with or without #', () => {
    expect(searchTerms('#2088')).toMatchObject({ number: '2088' });
    expect(searchTerms(' 2088 ')).toMatchObject({ number: '2088', text: '2088' });
    expect(searchTerms('#0042').number).toBe('42');
    expect(searchTerms('refund 2088').number).toBeUndefined();
  });

  it('reads a phone number in any formatting: the international start, or a national number by its end', () => {
    expect(searchTerms('+44 7700 900123').phone).toEqual({ prefix: '+447700900123' });
    expect(searchTerms('0044 (7700) 900-123').phone).toEqual({ prefix: '+447700900123' });
    expect(searchTerms('07700 900123').phone).toEqual({ prefix: '+07700900123', suffix: '7700900123' });
    expect(searchTerms('447700').phone).toEqual({ prefix: '+447700', suffix: '447700' });
    expect(searchTerms('123').phone).toBeUndefined();
    expect(searchTerms('parcel 07700').phone).toBeUndefined();
  });

  it('makes each word a prefix for names, with nothing typed read as query syntax', () => {
    expect(searchTerms('Dana Mül').namePrefix).toBe('Dana:* & Mül:*');
    expect(searchTerms("O'Brien & !x | y:*").namePrefix).toBe('O:* & Brien:* & x:* & y:*');
    expect(searchTerms('&&&').namePrefix).toBeUndefined();
    expect(searchTerms('+44 7700').namePrefix).toBeUndefined();
  });

  it('reads text with an @ as the start of an email address', () => {
    expect(searchTerms('Dana.Smith@Example').email).toBe('dana.smith@example');
    expect(searchTerms('meet @ noon').email).toBeUndefined();
  });
});

describe(marked.name, () => {
  it("turns ts_headline's markers into ranges of plain text", () => {
    expect(marked('my \u0002parcel\u0003 is \u0002late\u0003')).toEqual({
      text: 'my parcel is late',
      highlights: [
        { start: 3, end: 9 },
        { start: 13, end: 17 },
      ],
    });
    expect(marked(null)).toEqual({ text: null, highlights: [] });
  });

  it('counts UTF-16 code units, as the browser does, past an emoji', () => {
    const { text, highlights } = marked('📦 \u0002colis\u0003');
    expect(text!.slice(highlights[0]!.start, highlights[0]!.end)).toBe('colis');
  });
});
