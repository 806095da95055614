import firebaseFunctionsTest from "firebase-functions-test";
import { paramValues } from "../../dev/emulators";

export type FunctionsTest = ReturnType<typeof firebaseFunctionsTest>;

/**
 * firebase-functions-test for the enclosing suite, in offline mode against the test project. Params
 * and secrets are read from the environment at run time, as in Cloud Functions: every declared param
 * is put there with its default, overridden by `values()` (secrets included); `values` runs after the
 * suite's earlier `before` hooks, so stand-ins started there can give their URLs. The instance is
 * created in a hook, not at load: its cleanup() restores the environment it started with.
 */
export function useFunctionsTest(values: () => Record<string, string>): () => FunctionsTest {
  let fft: FunctionsTest | undefined;
  let savedEnv: NodeJS.ProcessEnv;
  before(() => {
    savedEnv = { ...process.env };
    fft = firebaseFunctionsTest({ projectId: String(process.env.GCLOUD_PROJECT) });
    const given = values();
    Object.assign(process.env, paramValues(given), given);
  });
  after(() => {
    fft?.cleanup();
    process.env = savedEnv;
  });
  return () => fft!;
}
