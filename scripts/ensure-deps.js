// Installs functions/ dependencies from the lockfile when they are missing or older than the lockfile.
const { execFileSync } = require("node:child_process");
const { existsSync, statSync } = require("node:fs");
const { join } = require("node:path");

const functionsDir = join(__dirname, "..", "functions");
const lock = join(functionsDir, "package-lock.json");
const installed = join(functionsDir, "node_modules", ".package-lock.json");

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log("Installing functions dependencies (npm ci)...");
  // The skipped install scripts only build re2 for the hosting emulator, which this project does not use.
  execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: functionsDir,
    stdio: "inherit",
  });
}
