/** Workflow entry points registered by the worker (names are the workflow types). */
export { DeliveryWorkflow } from './delivery';
export { CallbackWorkflow } from './callback';
