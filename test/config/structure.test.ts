import { brief, FLOW, flowsDir, problemsOf } from './helpers';

/** A producer whose one method has the given steps (YAML list items, indented 10). */
function withSteps(steps: string): string {
  return `producers:
  remote_system_api:
    options: { base_uri: 'http://127.0.0.1:3000' }
    methods:
      sendPingMessage:
        description: Send ping
        steps:
${steps}`;
}

describe('structural validation by the JSON Schema', () => {
  it('names an unknown key of a request step, with the allowed keys, at the key', () => {
    const dir = flowsDir({
      'p.yml': withSteps(`          - request:
              name: sendPingMessage
              htp_method: POST
              http_method: POST
              uri: /pong
              body: ~
`),
      'f.yml': FLOW,
    });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:10:15 producers.remote_system_api.methods.sendPingMessage.steps[0].request.htp_method: unknown key 'htp_method' in request step (allowed: name, http_method, uri, body, query, headers, base_uri, validations, timeout)",
    ]);
  });

  it('names an unknown step type with the known ones', () => {
    const dir = flowsDir({ 'p.yml': withSteps('          - debug: { message: hi }\n'), 'f.yml': FLOW });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:8:13 producers.remote_system_api.methods.sendPingMessage.steps[0].debug: unknown step type 'debug' (known: define, request, validate)",
    ]);
  });

  it('reports a missing required key at the key of the map that lacks it', () => {
    const dir = flowsDir({ 'p.yml': withSteps('          - request: { name: a, http_method: POST, uri: /a }\n'), 'f.yml': FLOW });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:8:13 producers.remote_system_api.methods.sendPingMessage.steps[0].request: missing required key 'body' in request step",
    ]);
  });

  it('refuses a step with two step types', () => {
    const dir = flowsDir({ 'p.yml': withSteps('          - define: { A: 1 }\n            validate: { rule: "eval: true" }\n'), 'f.yml': FLOW });
    expect(problemsOf(dir).map(brief)).toEqual([
      'p.yml:8:13 producers.remote_system_api.methods.sendPingMessage.steps[0]: a step must have exactly one key (one of: define, request, validate); found: define, validate',
    ]);
  });

  it('reports wrong value types and values with what was found', () => {
    const dir = flowsDir({
      'p.yml': withSteps(`          - request: { name: a, http_method: FETCH, uri: /a, body: ~, timeout: 5 minutes }
          - validate: { rule: "eval: true", recoverable: 'yes' }
`),
      'f.yml': FLOW,
    });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:8:46 producers.remote_system_api.methods.sendPingMessage.steps[0].request.http_method: expected one of 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' (got 'FETCH')",
      "p.yml:8:80 producers.remote_system_api.methods.sendPingMessage.steps[0].request.timeout: '5 minutes' is not a duration: use a number of seconds or '500ms', '1s', '2m', '1h'",
      "p.yml:9:58 producers.remote_system_api.methods.sendPingMessage.steps[1].validate.recoverable: expected true or false, got 'yes'",
    ]);
  });

  it('reports unknown keys in producers, options, methods, flows and at the top level', () => {
    const dir = flowsDir({
      'p.yml': `imports: []
producers:
  remote_system_api:
    descripton: typo
    options: { base_uri: 'http://x', retries: 3 }
    methods:
      m:
        description: M
        steps: [{ define: { A: 1 } }]
        respons: { body: ~ }
flows:
  ping:
    deliver: { to: remote_system_api.m, retry: { attempts: 3 } }
`,
    });
    expect(problemsOf(dir).map((p) => p.message)).toEqual([
      "unknown key 'imports' in the top level of the file (allowed: producers, mappings, flows, parameters, services, smartbox_integration_framework)",
      "unknown key 'descripton' in producer (allowed: description, class, calls, options, methods)",
      "unknown key 'retries' in producer options (allowed: base_uri, encoding, authentication, username, password, token, headers, timeout, connect_timeout, allowed_hosts, follow_redirects, signing)",
      "unknown key 'respons' in method (allowed: description, steps, validations, response)",
      "unknown key 'attempts' in retry settings (allowed: max_attempts, initial_interval, backoff, max_interval, retries_max, retry_delay, progressive)",
    ]);
  });

  it('refuses an encoding other than json, saying it is not supported yet', () => {
    const dir = flowsDir({ 'p.yml': withSteps('          - define: { A: 1 }\n').replace("{ base_uri: 'http://127.0.0.1:3000' }", '{ encoding: xml }'), 'f.yml': FLOW });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:3:26 producers.remote_system_api.options.encoding: encoding 'xml' is not supported yet: only 'json' is",
    ]);
  });

  it('requires the credentials an authentication method needs', () => {
    const dir = flowsDir({
      'p.yml': withSteps('          - define: { A: 1 }\n').replace("{ base_uri: 'http://127.0.0.1:3000' }", '{ authentication: bearer }'),
      'f.yml': FLOW,
    });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:3:32 producers.remote_system_api.options.authentication: authentication 'bearer' needs a token in the options",
    ]);
  });

  it('still checks references to a producer that has structural errors, by its method names', () => {
    const dir = flowsDir({
      'p.yml': withSteps('          - debug: {}\n'),
      'f.yml': 'flows:\n  ping:\n    deliver: { to: remote_system_api.nope }\n',
    });
    expect(problemsOf(dir).map((p) => p.message)).toEqual([
      "unknown method 'nope' of producer 'remote_system_api' (known: sendPingMessage)",
      "unknown step type 'debug' (known: define, request, validate)",
    ]);
  });
});
