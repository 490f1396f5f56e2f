/** A port the OS just handed out; the same helper the bench and the chaos run use. */
export { freePort } from '../../scripts/lib/processes';
