import { loadConfig } from '../../src/config';
import { brief, FLOW, flowsDir, PRODUCER, problemsOf } from './helpers';

describe('merging the files of a flows directory', () => {
  it('merges producers, mappings, flows and parameters from every YAML file, recursively', () => {
    const dir = flowsDir({
      'producers/remote.yml': PRODUCER,
      'mappings.yaml': 'mappings:\n  a: { x: obj.x }\n',
      'deep/er/flows.yml': FLOW,
      'params.yml': 'parameters:\n  p: 1\n',
      'README.md': 'not: [yaml, read',
    });
    const { config, warnings } = loadConfig(dir, { env: {} });
    expect(Object.keys(config.producers)).toEqual(['remote_system_api']);
    expect(Object.keys(config.mappings)).toEqual(['a']);
    expect(Object.keys(config.flows)).toEqual(['ping']);
    expect(config.parameters).toEqual({ p: 1 });
    expect(warnings).toEqual([]);
  });

  it('reports a producer defined in two files as an error naming both files with their lines', () => {
    const dir = flowsDir({ 'a.yml': PRODUCER, 'b.yml': `# again\n${PRODUCER}` });
    const problems = problemsOf(dir);
    expect(problems.map(brief)).toEqual([
      expect.stringMatching(
        /^b\.yml:3:3 producers\.remote_system_api: producer 'remote_system_api' is defined twice: .*a\.yml:2:3 and .*b\.yml:3:3$/,
      ),
    ]);
  });

  it('reports duplicate mappings, flows and parameters the same way', () => {
    const dir = flowsDir({
      'a.yml': `${PRODUCER}mappings:\n  m: { x: obj.x }\nparameters:\n  p: 1\n${FLOW}`,
      'b.yml': `mappings:\n  m: { y: obj.y }\nparameters:\n  p: 2\n${FLOW}`,
    });
    const messages = problemsOf(dir).map((p) => p.message.replace(/ \S*?([ab]\.yml)/g, ' $1'));
    expect(messages).toEqual([
      "mapping 'm' is defined twice: a.yml:19:3 and b.yml:2:3",
      "parameter 'p' is defined twice: a.yml:21:3 and b.yml:4:3",
      "flow 'ping' is defined twice: a.yml:23:3 and b.yml:6:3",
    ]);
  });

  it('reports a key repeated inside one file as a YAML error at the second occurrence', () => {
    const dir = flowsDir({ 'a.yml': 'mappings:\n  m: { x: obj.x }\n  m: { y: obj.y }\n' });
    expect(problemsOf(dir).map(brief)).toEqual(['a.yml:3:3 : YAML syntax: Map keys must be unique']);
  });

  it('reads definitions wrapped in smartbox_integration_framework: as SmartESB configs write them', () => {
    const wrapped = `${PRODUCER.trimEnd().replace(/^/gm, '  ')}\n`;
    const dir = flowsDir({ 'a.yml': `smartbox_integration_framework:\n${wrapped}  mappings:\n    m: { x: obj.x }\n`, 'b.yml': FLOW });
    const { config } = loadConfig(dir, { env: {} });
    expect(Object.keys(config.producers)).toEqual(['remote_system_api']);
    expect(config.mappings).toEqual({ m: { x: 'obj.x' } });
  });

  it('shows paths under the wrapper without it', () => {
    const dir = flowsDir({ 'a.yml': 'smartbox_integration_framework:\n  flows:\n    ping:\n      deliver: { to: nowhere.method }\n' });
    expect(problemsOf(dir).map(brief)).toEqual([
      "a.yml:4:22 flows.ping.deliver.to: unknown producer 'nowhere' (none are defined)",
    ]);
  });

  it('accepts PHP-only keys (services, class, calls) and warns that they are ignored, with their location', () => {
    const php = PRODUCER.replace(
      '    options:',
      "    class: Some\\Php\\Class\n    calls:\n      - [setName, ['x']]\n    options:",
    );
    const dir = flowsDir({ 'a.yml': `services:\n  some.service: { class: X }\n${php}`, 'b.yml': FLOW });
    const { warnings } = loadConfig(dir, { env: {} });
    expect(warnings.map(brief)).toEqual([
      "a.yml:1:1 services: ignored PHP-only key 'services' (Symfony service definitions have no meaning here)",
      "a.yml:5:5 producers.remote_system_api.class: ignored PHP-only key 'class' of producer 'remote_system_api' (temporal-esb runs REST producers itself)",
      "a.yml:6:5 producers.remote_system_api.calls: ignored PHP-only key 'calls' of producer 'remote_system_api' (temporal-esb runs REST producers itself)",
    ]);
  });

  it('reports a directory without YAML files', () => {
    expect(problemsOf(flowsDir({ 'notes.txt': 'hi' })).map((p) => p.message)).toEqual(['no *.yml or *.yaml files found']);
  });

  it('reports every YAML syntax error with its position and goes on with the other files', () => {
    const dir = flowsDir({ 'a.yml': 'flows:\n  ping: [unclosed\n', 'b.yml': 'mappings:\n  m: { x: "obj.x }\n' });
    const problems = problemsOf(dir);
    expect(new Set(problems.map((p) => p.file.split('/').pop()))).toEqual(new Set(['a.yml', 'b.yml']));
    expect(problems.find((p) => p.file.endsWith('a.yml'))).toMatchObject({ line: 3, column: 1 });
    expect(problems.every((p) => p.message.startsWith('YAML syntax: '))).toBe(true);
  });
});
