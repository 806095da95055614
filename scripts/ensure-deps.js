// Installs each package's dependencies from its lockfile when they are missing or older than the lockfile:
// functions/ (the code, its tools and tests), console/ (the admin console, built with Vite) and
// tools/deploy-runtime/ (the Cloud Functions runtime's Node.js binary, which npm test runs the suite on
// as well).
const { execFileSync } = require("node:child_process");
const { existsSync, statSync } = require("node:fs");
const { join } = require("node:path");

for (const dir of ["functions", "console", join("tools", "deploy-runtime")]) {
  const packageDir = join(__dirname, "..", dir);
  const lock = join(packageDir, "package-lock.json");
  const installed = join(packageDir, "node_modules", ".package-lock.json");
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
    console.log(`Installing ${dir} dependencies (npm ci)...`);
    // The skipped install scripts only build re2 for the hosting emulator, which this project does not use.
    execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: packageDir,
      stdio: "inherit",
    });
  }
}
