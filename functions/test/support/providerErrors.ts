import { expect } from "chai";
import { ProviderError } from "../../src/providers/providerError";

/**
 * The ProviderError a call fails with; also checks that the API key appears nowhere in it (message,
 * details, stack), since errors end up in logs.
 */
export async function providerFailure(
  promise: Promise<unknown>,
  apiKey: string,
): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ProviderError);
    const providerError = error as ProviderError;
    const everything = JSON.stringify({
      ...providerError,
      message: providerError.message,
      stack: providerError.stack,
    });
    expect(everything).not.to.contain(apiKey);
    return providerError;
  }
  throw new Error("expected a ProviderError");
}
