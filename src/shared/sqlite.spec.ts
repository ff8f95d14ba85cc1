import { runInNewContext } from 'node:vm';
import { isStorageFailure, openSqlite, readPragma } from './sqlite';

/** A SqliteError made in another realm, as the native addon throws it to a second copy of the module. */
const foreign = (code: string): unknown =>
  runInNewContext(
    `const e = new Error('storage'); e.name = 'SqliteError'; e.code = ${JSON.stringify(code)}; e`,
  );

describe('isStorageFailure', () => {
  it('knows a full database as thrown by SQLite itself', () => {
    const db = openSqlite(':memory:', { synchronous: 'NORMAL' });
    db.exec('CREATE TABLE t (body BLOB)');
    db.exec(`PRAGMA max_page_count = ${Number(readPragma(db, 'page_count'))}`);
    let thrown: unknown = null;
    try {
      db.exec('INSERT INTO t VALUES (randomblob(100000))');
    } catch (e) {
      thrown = e;
    }
    db.close();
    expect(thrown).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isStorageFailure(thrown)).toBe(true);
  });

  it('knows storage failures from another realm, and nothing else', () => {
    expect(foreign('SQLITE_FULL')).not.toBeInstanceOf(Error); // another realm's Error
    expect(isStorageFailure(foreign('SQLITE_FULL'))).toBe(true);
    expect(isStorageFailure(foreign('SQLITE_IOERR_WRITE'))).toBe(true);
    expect(isStorageFailure(foreign('SQLITE_READONLY'))).toBe(true);
    expect(isStorageFailure(foreign('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isStorageFailure(new Error('database or disk is full'))).toBe(false);
    expect(isStorageFailure(null)).toBe(false);
  });
});

describe('openSqlite', () => {
  it("sizes the connection's page cache when asked, and leaves the build's default otherwise", () => {
    const sized = openSqlite(':memory:', { synchronous: 'NORMAL', cacheMb: 64 });
    const plain = openSqlite(':memory:', { synchronous: 'NORMAL' });
    expect(readPragma(sized, 'cache_size')).toBe(-65536);
    expect(readPragma(plain, 'cache_size')).toBe(-16000); // better-sqlite3's build
    sized.close();
    plain.close();
  });
});
