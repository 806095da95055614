/** How many devices one customer's pushes go to: far below FCM's 500 tokens per multicast. */
export const MAX_DEVICES_PER_CUSTOMER = 10;

/**
 * Which of a customer's devices to forget when `keepId` registers: all but the most recently seen,
 * so that with `keepId` at most `max` remain. Devices never seen (legacy records) go first.
 */
export function devicesToDrop(
  devices: readonly { id: string; lastSeenMs?: number }[],
  keepId: string,
  max = MAX_DEVICES_PER_CUSTOMER,
): string[] {
  return devices
    .filter((device) => device.id !== keepId)
    .sort((a, b) => (b.lastSeenMs ?? 0) - (a.lastSeenMs ?? 0))
    .slice(max - 1)
    .map((device) => device.id);
}
