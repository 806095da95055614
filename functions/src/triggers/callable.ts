import { onCall, type CallableOptions, type CallableRequest } from "firebase-functions/v2/https";
import { callableMaxInstances } from "../deployConfig";
import type { Callables } from "../contract";
import type { Caller } from "../domain/caller";
import { currentCaller, requireAdmin } from "./caller";
import { toHttpsError } from "./clientErrors";

type Operation<Name extends keyof Callables> = (
  caller: Caller,
  data: unknown,
) => Promise<Callables[Name]["answer"]>;

/**
 * A callable function: sign-in first, then the operation, answering what the contract says it
 * answers; failures leave as HttpsErrors only. At most CALLABLE_MAX_INSTANCES instances each.
 */
export function callable<Name extends keyof Callables>(
  name: Name,
  options: CallableOptions,
  operation: Operation<Name>,
) {
  return onCall(
    { maxInstances: callableMaxInstances, ...options },
    async (request: CallableRequest): Promise<Callables[Name]["answer"]> => {
      try {
        return await operation(await currentCaller(request.auth?.token), request.data);
      } catch (error) {
        throw toHttpsError(error, name);
      }
    },
  );
}

/** A callable for admins only: everyone else is refused first, told what they would have done. */
export function adminCallable<Name extends keyof Callables>(
  name: Name,
  action: string,
  options: CallableOptions,
  operation: Operation<Name>,
) {
  return callable(name, options, (caller, data) => {
    requireAdmin(caller, action);
    return operation(caller, data);
  });
}
