/*
 * Preloaded into the functions emulator's processes by the soak (NODE_OPTIONS): counts the Firestore
 * reads and writes the functions make, as Firestore bills them (bench/firestoreCounter.ts), and keeps
 * each process's counts in `SOAK_TALLY_DIR/<pid>.json` for the soak to add up.
 */
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { firestoreCounts } from "../../bench/firestoreCounter";

const dir = process.env.SOAK_TALLY_DIR;
if (dir) {
  const file = join(dir, `${process.pid}.json`);
  // Written aside and renamed, so the soak never reads a half-written file.
  const save = () => {
    writeFileSync(`${file}.part`, JSON.stringify(firestoreCounts));
    renameSync(`${file}.part`, file);
  };
  setInterval(save, 500).unref();
  process.on("exit", save);
}
