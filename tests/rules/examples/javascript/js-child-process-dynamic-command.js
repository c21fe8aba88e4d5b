const childProcess = require("child_process");

function convert(file, dir, cmd, args) {
  // ruleid: js-child-process-dynamic-command
  exec(`convert ${file} out.png`);
  // ruleid: js-child-process-dynamic-command
  childProcess.execSync("rm -rf " + dir);
  // ruleid: js-child-process-dynamic-command
  childProcess.spawn(cmd, args, { shell: true });
  // ok: js-child-process-dynamic-command
  childProcess.execFile("convert", [file, "out.png"]);
  // ok: js-child-process-dynamic-command
  childProcess.execSync("git rev-parse HEAD");
}

function install(version) {
  // A constant command picked per platform.
  const npm = /^win/.test(process.platform) ? "npm.cmd" : "npm";
  // ok: js-child-process-dynamic-command
  childProcess.spawnSync(npm, ["version", version], { shell: true });
}
