/** Message ids (and Idempotency-Key values) are safe in workflow ids and visibility queries. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface LinkOptions {
  /** Base URL of the Temporal Web UI, for links in answers. */
  uiBaseUrl?: string;
  namespace: string;
}

export function messageLinks(opts: LinkOptions, flow: string, messageId: string, workflowId: string): { status: string; ui?: string } {
  return {
    status: `/api/v1/messages/${encodeURIComponent(messageId)}?flow=${encodeURIComponent(flow)}`,
    ui: opts.uiBaseUrl ? `${opts.uiBaseUrl}/namespaces/${encodeURIComponent(opts.namespace)}/workflows/${encodeURIComponent(workflowId)}` : undefined,
  };
}
