import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { datamartApiKey, SYNC_TIMEOUT_SECONDS } from "../deployConfig";
import { serveSyncRequest } from "../sync/adminSync";
import { syncDeps } from "../wiring";

/**
 * An admin's "sync now" (`syncRequests/{id}`): handed to the run alive, or a run started here. No
 * retries: a request left waiting is taken by the next scheduled run.
 */
export const runRequestedSync = onDocumentCreated(
  {
    document: "syncRequests/{requestId}",
    retry: false,
    timeoutSeconds: SYNC_TIMEOUT_SECONDS,
    secrets: [datamartApiKey],
  },
  async (event) => {
    if (!event.data) return;
    await serveSyncRequest(syncDeps(), event.data.ref);
  },
);
