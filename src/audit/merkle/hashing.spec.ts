import { EMPTY_ROOT, emptyRoot, leafHash, nodeHash } from './hashing';

// Vectors from github.com/transparency-dev/merkle rfc6962/rfc6962_test.go (TestRFC6962Hasher).
describe('RFC 6962 hashing', () => {
  it('hashes the empty tree as SHA-256 of the empty string', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(emptyRoot().equals(EMPTY_ROOT)).toBe(true);
  });

  it('prefixes leaves with 0x00 (the empty leaf differs from the empty tree)', () => {
    expect(leafHash(new Uint8Array()).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
  });

  it('prefixes interior nodes with 0x01 and depends on child order', () => {
    const hash = nodeHash(Buffer.from('N123'), Buffer.from('N456'));
    expect(hash.toString('hex')).toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
    expect(nodeHash(Buffer.from('N456'), Buffer.from('N123')).equals(hash)).toBe(false);
  });

  it('separates leaves from nodes (second-preimage resistance)', () => {
    const l = leafHash(Buffer.from('Hello'));
    const r = leafHash(Buffer.from('World'));
    expect(nodeHash(l, r).equals(leafHash(Buffer.concat([l, r])))).toBe(false);
  });

  it('gives a fresh copy of the empty root each time', () => {
    const copy = emptyRoot();
    copy[0] = 0;
    expect(EMPTY_ROOT[0]).toBe(0xe3);
  });
});
