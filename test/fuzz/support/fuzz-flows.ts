/**
 * Flows for the bad-input tests: a `sink` producer on the fake remote whose
 * methods send the message as it came, with no validations, so whatever the
 * remote answers reaches the workflow as the response (the part under test).
 */
export const FUZZ_RETRY = '{ max_attempts: 3, initial_interval: 200ms, backoff: 1, max_interval: 200ms }';

export function fuzzFlows(remoteUrl: string): Record<string, string> {
  return {
    'producers/sink.yml': `
producers:
  sink:
    description: A remote that takes anything
    options: { base_uri: '${remoteUrl}', encoding: json, authentication: none, timeout: 1, connect_timeout: 1 }
    methods:
      store:
        description: Send the message as it came
        steps:
          - define: { Message: "eval: body" }
          - request: { name: store, http_method: POST, uri: /sink, body: "eval: Message" }
        response:
          body: "eval: responses['store']['body']"
      mapped:
        description: Send the message through a mapping (the mapper walks message data)
        steps:
          - request: { name: mapped, http_method: POST, uri: /mapped, body: "eval: mapper.map(body, 'copy')" }
`,
    'mappings.yml': `
mappings:
  copy:
    id: obj.getId()
    name: obj.getName()
    nested: obj.getNested()
`,
    'flows.yml': `
flows:
  sink:
    deliver: { to: sink.store, retry: ${FUZZ_RETRY}, timeout: 20s }
  mapped:
    deliver: { to: sink.mapped, retry: ${FUZZ_RETRY}, timeout: 20s }
  checked:
    input_schema: { type: object, required: [id], properties: { id: { type: string } } }
    deliver: { to: sink.store, retry: ${FUZZ_RETRY}, timeout: 20s }
`,
  };
}
