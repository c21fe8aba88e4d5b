const childProcess = require("child_process");
const express = require("express");

const router = express.Router();

router.post("/convert", (req, res) => {
  const file = req.body.file;
  // ruleid: js-child-process-dynamic-command
  childProcess.exec(`convert uploads/${file} out.png`);
  // ok: js-child-process-dynamic-command
  childProcess.execFile("convert", [`uploads/${file}`, "out.png"]);
  // ok: js-child-process-dynamic-command
  childProcess.execSync("git rev-parse HEAD");
  res.sendStatus(202);
});

function convert(file, dir, cmd, args) {
  // A parameter: reported as a low lead.
  // ruleid: js-child-process-dynamic-command
  childProcess.exec(`convert ${file} out.png`);
  // ruleid: js-child-process-dynamic-command
  childProcess.execSync("rm -rf " + dir);
  // A wrapper that runs the command its caller gives: the caller is where the command is built.
  // ok: js-child-process-dynamic-command
  childProcess.spawn(cmd, args, { shell: true });
}

function install(version) {
  // A constant command picked per platform.
  const npm = /^win/.test(process.platform) ? "npm.cmd" : "npm";
  // ok: js-child-process-dynamic-command
  childProcess.spawnSync(npm, ["version", version], { shell: true });
  const found = /(\d+)\.(\d+)/.exec(version);
  return found;
}

module.exports = { router, convert, install };
