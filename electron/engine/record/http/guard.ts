// The DNS-rebinding guard of loopback listeners lives in shared/net.ts (one Host allow-list).
export { hostAllowed } from '../../../../shared/net.js';
