import { ConfigError, loadConfig } from './load-config';

const SECRET = 'b3J0aG9nb25hbC1yYW5kb20tc2VjcmV0LTQyLXE5eg';
const SIGNING_KEY = 'PRIVATE+KEY+crisis.example/log+0a1b2c3d+AQ==';

describe('loadConfig', () => {
  it('needs nothing to run the embedded default', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.eventStore.driver).toBe('sqlite');
    expect(config.dataDir).toMatch(/data$/);
    expect(config.loadSample).toBe(true);
    expect(config.publicReads).toBe(true);
  });

  it('reads PORT, DATA_DIR and the eventstoredb driver', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/tmp/x',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      API_KEY_SECRET: SECRET,
      AUDIT_SIGNING_KEY: SIGNING_KEY,
    });
    expect(config.port).toBe(8080);
    expect(config.audit.signingKey).toBe(SIGNING_KEY);
    expect(config.apiKeySecret).toBe(SECRET);
    expect(config.readDbFile).toBe('/tmp/x/read-models.db');
    expect(config.eventStore).toEqual({
      driver: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
      appendSessions: true,
    });
  });

  it('turns append sessions off with EVENTSTORE_APPEND_SESSIONS=false, and names a value it cannot read', () => {
    const esdb = {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'kurrentdb://localhost:2113?tls=false',
      API_KEY_SECRET: SECRET,
      AUDIT_SIGNING_KEY: SIGNING_KEY,
    };
    expect(loadConfig({ ...esdb, EVENTSTORE_APPEND_SESSIONS: 'false' }).eventStore).toMatchObject({
      appendSessions: false,
    });
    expect(() => loadConfig({ ...esdb, EVENTSTORE_APPEND_SESSIONS: 'sometimes' })).toThrow(
      /EVENTSTORE_APPEND_SESSIONS must be true or false/,
    );
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'eventstoredb', LOAD_SAMPLE: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/EVENTSTORE_CONNECTION_STRING/);
    expect(problems).toMatch(/LOAD_SAMPLE/);
  });

  it('requires API_KEY_SECRET on the EventStoreDB path, where instances share key events', () => {
    expect(() =>
      loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113' }),
    ).toThrow(/API_KEY_SECRET is required when EVENT_STORE=eventstoredb/);
    // The embedded default generates one into the data dir instead.
    expect(loadConfig({ DATA_DIR: '/tmp/x' })).toMatchObject({
      apiKeySecret: null,
      apiKeySecretFile: '/tmp/x/api-key.secret',
    });
  });

  it('requires AUDIT_SIGNING_KEY on the EventStoreDB path, where instances sign one checkpoint stream', () => {
    const esdb = {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113',
      API_KEY_SECRET: SECRET,
    };
    expect(() => loadConfig(esdb)).toThrow(/AUDIT_SIGNING_KEY is required when EVENT_STORE=eventstoredb/);
    expect(() => loadConfig({ ...esdb, AUDIT_SIGNING_KEY: '' })).toThrow(/AUDIT_SIGNING_KEY is required/);
    // The embedded default reads or generates its own key file instead.
    expect(loadConfig({ DATA_DIR: '/tmp/x' }).audit).toMatchObject({
      signingKey: null,
      keyFile: '/tmp/x/audit-signing.key',
    });
  });

  it.each([
    ['too short', 'Xk3v9QmT2pLw8Rz', /ADMIN_API_KEY must be at least 24 characters/],
    ['a repeat', 'a'.repeat(40), /ADMIN_API_KEY is too easy to guess/],
    ['words and a sequence', 'test-admin-key-0123456789abcdef', /ADMIN_API_KEY is too easy to guess/],
    ['a keyboard walk', 'qwertyuiopasdfghjklzxcvbnm1234', /ADMIN_API_KEY is too easy to guess/],
  ])('refuses a weak ADMIN_API_KEY (%s) with a clear message', (_, key, message) => {
    expect(() => loadConfig({ ADMIN_API_KEY: key })).toThrow(message);
  });

  it('accepts a random ADMIN_API_KEY and refuses a weak API_KEY_SECRET', () => {
    expect(loadConfig({ ADMIN_API_KEY: 'Xk3v9QmT2pLw8RzN4bYc7HdJ' }).adminApiKey).toBe(
      'Xk3v9QmT2pLw8RzN4bYc7HdJ',
    );
    expect(() => loadConfig({ API_KEY_SECRET: 'secretsecretsecretsecretsecretsecret' })).toThrow(
      /API_KEY_SECRET is too easy to guess/,
    );
  });

  it('reads the session lifetime and the trusted proxies, and names a bad one', () => {
    const config = loadConfig({ SESSION_LIFETIME_SECONDS: '3600', TRUST_PROXY: '10.0.0.0/8, ::1, loopback' });
    expect(config.sessionLifetimeSeconds).toBe(3600);
    expect(config.http.trustProxy).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(loadConfig({}).sessionLifetimeSeconds).toBe(8 * 3600);
    expect(loadConfig({}).http.trustProxy).toEqual([]);
    expect(() => loadConfig({ SESSION_LIFETIME_SECONDS: '10' })).toThrow(
      /SESSION_LIFETIME_SECONDS must be an integer from 60 to 2592000/,
    );
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2', '*'])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(`TRUST_PROXY: "${bad}" is not an address`);
  });
});
