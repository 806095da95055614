/**
 * Poll bookkeeping lives on the order, under one `sync` map, so the due query reads one document per
 * due order. The SMS trigger looks at `status` only, so a bookkeeping write never notifies anyone.
 */
export const SYNC_FIELDS = {
  all: "sync",
  nextCheckAt: "sync.nextCheckAt",
  lane: "sync.lane",
  attempts: "sync.attempts",
  lastCheckedAt: "sync.lastCheckedAt",
  lastDatamartStatus: "sync.lastDatamartStatus",
  lastError: "sync.lastError",
  needsAttention: "sync.needsAttention",
  needsAttentionReason: "sync.needsAttentionReason",
  /** A failed order is watched until then: Datamart delivers some failed orders later. */
  watchUntil: "sync.watchUntil",
} as const;
