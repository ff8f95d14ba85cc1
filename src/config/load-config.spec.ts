import { ConfigError, loadConfig } from './load-config';

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
    });
    expect(config.port).toBe(8080);
    expect(config.readDbFile).toBe('/tmp/x/read-models.db');
    expect(config.eventStore).toEqual({
      driver: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
    });
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
});
