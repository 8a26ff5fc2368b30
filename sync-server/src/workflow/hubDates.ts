// Calendar dates on the hub's clock come from the shared rule, so client and hub agree.
export { chinaDate } from '@sibantong/shared';
