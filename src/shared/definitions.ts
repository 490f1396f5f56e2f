/**
 * Names shared by the API, the worker and the workflows, so that none of them
 * imports another. Pure: safe to import from workflow code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DEFAULT_TASK_QUEUE = 'esb';

/** Custom search attributes: registered by the embedded server, set by workflows. */
export const SEARCH_ATTRIBUTES = {
  EsbFlow: 'Keyword',
  EsbMessageId: 'Keyword',
  EsbStatus: 'Keyword',
  EsbTarget: 'Keyword',
} as const;

export const EsbFlow = defineSearchAttributeKey('EsbFlow', SearchAttributeType.KEYWORD);
export const EsbMessageId = defineSearchAttributeKey('EsbMessageId', SearchAttributeType.KEYWORD);
export const EsbStatus = defineSearchAttributeKey('EsbStatus', SearchAttributeType.KEYWORD);
export const EsbTarget = defineSearchAttributeKey('EsbTarget', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [EsbFlow, EsbMessageId, EsbStatus, EsbTarget];
