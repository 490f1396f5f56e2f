import { flowNamed, loadConfig, methodNamed, parseMethodRef, UnknownReferenceError } from '../../src/config';
import { brief, flowsDir, PRODUCER, problemsOf } from './helpers';

describe('references between producers, methods and flows', () => {
  it('reports an unknown method with the known methods of the producer', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'ping.yml': 'flows:\n  ping:\n    deliver:\n      to: remote_system_api.sendPong\n' });
    expect(problemsOf(dir).map(brief)).toEqual([
      "ping.yml:4:11 flows.ping.deliver.to: unknown method 'sendPong' of producer 'remote_system_api' (known: sendPingMessage, callback)",
    ]);
  });

  it('reports every unknown callback target, each at its list item', () => {
    const dir = flowsDir({
      'p.yml': PRODUCER,
      'ping.yml': `flows:
  ping:
    deliver: { to: remote_system_api.sendPingMessage }
    callback:
      to: [remote_system_api.callback, audit.record, remote_system_api.nope]
`,
    });
    expect(problemsOf(dir).map(brief)).toEqual([
      "ping.yml:5:40 flows.ping.callback.to[1]: unknown producer 'audit' (known: remote_system_api)",
      "ping.yml:5:54 flows.ping.callback.to[2]: unknown method 'nope' of producer 'remote_system_api' (known: sendPingMessage, callback)",
    ]);
  });

  it("accepts SmartESB's rest://producer/method form and a single callback target", () => {
    const dir = flowsDir({
      'p.yml': PRODUCER,
      'ping.yml': `flows:
  ping:
    deliver: { to: 'rest://remote_system_api/sendPingMessage' }
    callback: { to: remote_system_api.callback }
`,
    });
    const { ping } = loadConfig(dir, { env: {} }).config.flows;
    expect(ping.deliver.to).toEqual({ producer: 'remote_system_api', method: 'sendPingMessage' });
    expect(ping.callback).toEqual({ to: [{ producer: 'remote_system_api', method: 'callback' }], mode: 'async', when: 'always' });
  });

  it('refuses a target that is not a method reference', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': 'flows:\n  ping:\n    deliver: { to: remote_system_api }\n' });
    expect(problemsOf(dir).map((p) => p.message)).toEqual([
      "'remote_system_api' is not a method reference: write producer.method (or rest://producer/method)",
    ]);
  });

  it.each([
    ['remote_system_api.sendPingMessage', { producer: 'remote_system_api', method: 'sendPingMessage' }],
    ['rest://remote_system_api/sendPingMessage', { producer: 'remote_system_api', method: 'sendPingMessage' }],
    ['smartbox.remote.send', { producer: 'smartbox.remote', method: 'send' }],
    ['no_method', null],
    ['rest://only-producer', null],
  ])('parses %s', (text, expected) => {
    expect(parseMethodRef(text)).toEqual(expected);
  });

  it('finds flows and methods by name at run time, or names the known ones', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': 'flows:\n  ping:\n    deliver: { to: remote_system_api.sendPingMessage }\n' });
    const { config } = loadConfig(dir, { env: {} });
    expect(flowNamed(config, 'ping').name).toBe('ping');
    expect(() => flowNamed(config, 'pong')).toThrow(new UnknownReferenceError("unknown flow 'pong' (known: ping)"));
    expect(() => flowNamed(config, 'constructor')).toThrow("unknown flow 'constructor' (known: ping)");
    expect(methodNamed(config, { producer: 'remote_system_api', method: 'callback' }).method.name).toBe('callback');
    expect(() => methodNamed(config, { producer: 'remote_system_api', method: 'x' })).toThrow(
      "unknown method 'x' of producer 'remote_system_api' (known: sendPingMessage, callback)",
    );
  });

  it('refuses flow names that cannot appear in a URL or a workflow id', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': "flows:\n  'my flow':\n    deliver: { to: remote_system_api.sendPingMessage }\n" });
    expect(problemsOf(dir).map(brief)).toEqual([
      `f.yml:2:3 flows["my flow"]: flow name 'my flow' must be letters, digits, '_', '-' or '.' (it appears in URLs and workflow ids)`,
    ]);
  });
});
