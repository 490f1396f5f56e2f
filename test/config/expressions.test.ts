import { loadConfig } from '../../src/config';
import { brief, FLOW, flowsDir, problemsOf } from './helpers';

const producer = (body: string, extra = '') => `producers:
  remote_system_api:
    options: { base_uri: 'http://127.0.0.1:3000' }
    methods:
      sendPingMessage:
        description: Send ping
        steps:
          - request:
              name: sendPingMessage
              http_method: POST
              uri: /pong
              body: "${body}"
${extra}`;

describe('expressions in the configuration', () => {
  it('reports an expression syntax error at the value that holds it', () => {
    const dir = flowsDir({ 'p.yml': producer("eval: mapper.map(body, 'm'"), 'f.yml': FLOW, 'm.yml': 'mappings:\n  m: { x: obj.x }\n' });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(brief(problems[0])).toMatch(
      /^p\.yml:12:21 producers\.remote_system_api\.methods\.sendPingMessage\.steps\[0\]\.request\.body: Syntax error in expression "mapper\.map\(body, 'm'" around position 10: Unclosed "\("$/,
    );
  });

  it('reports a syntax error in a mapping at its key', () => {
    const dir = flowsDir({ 'p.yml': producer('eval: body'), 'f.yml': FLOW, 'm.yml': 'mappings:\n  m:\n    nested:\n      x: obj.x(\n' });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(brief(problems[0])).toMatch(/^m\.yml:4:10 mappings\.m\.nested\.x: Syntax error in expression "obj\.x\(" around position 5/);
  });

  it('reports a mapping that does not exist, with the known ones', () => {
    const dir = flowsDir({ 'p.yml': producer("eval: mapper.map(body, 'pingToRemote')"), 'f.yml': FLOW, 'm.yml': 'mappings:\n  pingToRemoteApi: { x: obj.x }\n' });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:12:21 producers.remote_system_api.methods.sendPingMessage.steps[0].request.body: unknown mapping 'pingToRemote' (known: pingToRemoteApi)",
    ]);
  });

  it('reports a mapping that refers to an unknown mapping', () => {
    const dir = flowsDir({
      'p.yml': producer('eval: body'),
      'f.yml': FLOW,
      'm.yml': "mappings:\n  outer:\n    inner: mapper.map(obj.inner, 'missing')\n",
    });
    expect(problemsOf(dir).map(brief)).toEqual(["m.yml:3:12 mappings.outer.inner: unknown mapping 'missing' (known: outer)"]);
  });

  it('reports expressions that reach for the JavaScript runtime or unknown functions', () => {
    const extra = `          - define: { A: "eval: body.constructor", B: "eval: eval('1')" }\n`;
    const messages = problemsOf(flowsDir({ 'p.yml': producer('eval: body', extra), 'f.yml': FLOW })).map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining("Forbidden property 'constructor'"),
      expect.stringContaining('unknown function eval()'),
    ]);
  });

  it('checks expressions in validations, define steps, options and responses too', () => {
    const extra = `              validations:
                - rule: "eval: responses['sendPingMessage'"
          - define: { A: "eval: (1" }
        response: { body: "eval: [1, 2" }
`;
    const paths = problemsOf(flowsDir({ 'p.yml': producer('eval: body', extra), 'f.yml': FLOW })).map((p) => p.path);
    expect(paths).toEqual([
      'producers.remote_system_api.methods.sendPingMessage.steps[0].request.validations[0].rule',
      'producers.remote_system_api.methods.sendPingMessage.steps[1].define.A',
      'producers.remote_system_api.methods.sendPingMessage.response.body',
    ]);
  });

  it('leaves strings without the exact "eval: " prefix alone, and warns about a constant rule', () => {
    const extra = `              validations:
                - rule: "responses['x'] == 200"
`;
    const { config, warnings } = loadConfig(flowsDir({ 'p.yml': producer('eval:body(', extra), 'f.yml': FLOW }), { env: {} });
    expect(config.producers.remote_system_api.methods.sendPingMessage.steps[0]).toMatchObject({ body: 'eval:body(' });
    expect(warnings.map(brief)).toEqual([
      "p.yml:14:25 producers.remote_system_api.methods.sendPingMessage.steps[0].request.validations[0].rule: rule 'responses['x'] == 200' is not an 'eval: ' expression, so it is a constant string",
    ]);
  });
});
