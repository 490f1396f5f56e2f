/** Workflow ids are business keys: the same message can never start twice. */
export function deliveryWorkflowId(flow: string, messageId: string): string {
  return `delivery-${flow}-${messageId}`;
}

export function callbackWorkflowId(flow: string, messageId: string, target: string): string {
  return `callback-${flow}-${messageId}-${target}`;
}

/** Status query name, shared by workflow and API. */
export const STATUS_QUERY = 'status';
