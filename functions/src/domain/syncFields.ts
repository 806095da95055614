/**
 * What the sync keeps on an order, under one `sync` map. It is written only together with a status
 * change or once when a human is needed: a check that finds nothing new writes nothing, so it wakes
 * no trigger.
 */
export const SYNC_FIELDS = {
  all: "sync",
  needsAttention: "sync.needsAttention",
  needsAttentionReason: "sync.needsAttentionReason",
  /** A failed order is watched until then: Datamart delivers some failed orders later. */
  watchUntil: "sync.watchUntil",
} as const;
