/**
 * Published list prices in USD, as of 2026-12 (cloud.google.com/firestore/pricing, multi-region nam5;
 * cloud.google.com/run/pricing, Tier 1, instance billed per request), beyond the free tiers: what the
 * soak and the freshness bench price their figures at.
 */
export const CLOUD_PRICES = {
  firestoreReadPer100k: 0.06,
  firestoreWritePer100k: 0.18,
  invocationPerMillion: 0.4,
  /** 256 MiB and 0.167 vCPU, the default instance: 0.167 x $0.000024 + 0.25 x $0.0000025. */
  instanceSecond: 0.167 * 0.000024 + 0.25 * 0.0000025,
};
