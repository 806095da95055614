// The console's browser tests drive Debian's Chromium (CHROMIUM_PATH, else /usr/bin/chromium).
// When it is missing: installed from Debian's packages if this user is root with apt-get, else a stop
// within seconds naming the one command to run.
const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  // Debian's package fills only its own path; a CHROMIUM_PATH elsewhere is the user's to provide.
  const installable =
    !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!installable) {
    console.error(
      `The admin console's browser tests need Chromium at ${path}, which is missing. Install it with:\n` +
        "  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "(or set CHROMIUM_PATH to a Chromium or Chrome binary), then run npm test again.",
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the console's browser tests (apt-get)...");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit" });
}
