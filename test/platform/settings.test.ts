import { readSettings, SettingsError } from '../../src/shared/settings';

describe('settings from the environment', () => {
  it('defaults to the embedded server on 7233 with the UI on 8233 and the API on 3000', () => {
    const s = readSettings({}, '/srv/app');
    expect(s.temporal.address).toBeUndefined();
    expect(s.embedded).toMatchObject({ grpcPort: 7233, uiPort: 8233, dataDir: '/srv/app/.esb-data' });
    expect(s.apiPort).toBe(3000);
    expect(s.flowsDir).toBe('/srv/app/flows');
  });

  it('reads the cluster address, namespace, port and flows directory', () => {
    const s = readSettings({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'esb', PORT: '8080', ESB_FLOWS_DIR: '/etc/esb' }, '/');
    expect(s.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'esb' });
    expect(s.apiPort).toBe(8080);
    expect(s.flowsDir).toBe('/etc/esb');
  });

  it('rejects a port that is not a number, naming the variable', () => {
    expect(() => readSettings({ PORT: 'eighty' })).toThrow(new SettingsError("PORT must be a port number (0-65535), got 'eighty'"));
  });

  it('requires the TLS certificate and key together', () => {
    expect(() => readSettings({ TEMPORAL_TLS_CERT: '/c.pem' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
  });
});
