import { GrpcStatus, hasGrpcStatus } from "../src/firestore";

/** gRPC codes after which a repeated idempotent step is safe. */
const TRANSIENT_GRPC_CODES: readonly number[] = [
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.UNAVAILABLE,
];

/**
 * Runs an idempotent step again when the emulator drops the call, as a freshly started or busy one
 * does now and then ("1 CANCELLED: call already cancelled", "10 ABORTED: Transaction lock timeout").
 */
export async function retryTransient<T>(step: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts || !TRANSIENT_GRPC_CODES.some((c) => hasGrpcStatus(error, c)))
        throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
