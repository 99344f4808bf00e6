import { buildSchema } from 'graphql';
import { MAX_SHARED_DOCUMENTS, MAX_SHARED_TEXT, sharedDocuments } from './shared-documents';

const schema = buildSchema('type Query { ok: String } type Subscription { tick: String }');

describe('sharedDocuments (graphql-ws parse/validate)', () => {
  it('parses one document per distinct text and validates it once', () => {
    const { parse, validate } = sharedDocuments();
    const a = parse('subscription { tick }');
    expect(parse('subscription { tick }')).toBe(a);
    // Another spelling is another document (its error locations refer to its own text).
    expect(parse('subscription{tick}')).not.toBe(a);
    expect(validate(schema, a)).toEqual([]);
    const bad = parse('subscription { nope }');
    const errors = validate(schema, bad);
    expect(errors[0]?.message).toMatch(/nope/);
    expect(validate(schema, bad)).toBe(errors);
  });

  it('rethrows syntax errors as graphql-js does, and keeps the memo bounded', () => {
    const { parse } = sharedDocuments();
    expect(() => parse('subscription {')).toThrow(/Syntax Error/);
    const first = parse('subscription S0 { tick }');
    for (let i = 1; i <= MAX_SHARED_DOCUMENTS; i++) parse(`subscription S${i} { tick }`);
    expect(parse('subscription S0 { tick }')).not.toBe(first);
    const long = `subscription { tick ${' '.repeat(MAX_SHARED_TEXT)}}`;
    expect(parse(long)).not.toBe(parse(long));
  });
});
