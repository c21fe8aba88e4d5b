const { execFile, exec } = require("child_process");
const childProcess = require("child_process");

const RUN_OPTIONS = { timeout: 10000 };

function serviceStatus(unit) {
    return new Promise((resolve, reject) => {
        // A unit stuck in "deactivating" keeps systemctl waiting: the check never reports.
        // ruleid: ts-exec-without-timeout
        execFile("systemctl", ["is-active", unit], (error, stdout) => {
            if (error) {
                reject(error);
                return;
            }
            resolve(stdout.trim());
        });
    });
}

function diskUsage(mount, done) {
    // ruleid: ts-exec-without-timeout
    childProcess.exec(`df -k ${mount}`, { encoding: "utf8" }, (error, stdout) => done(error, stdout));
}

function printerQueue(done) {
    // ruleid: ts-exec-without-timeout
    exec("lpstat -o", done);
}

function boundedStatus(unit, done) {
    // ok: ts-exec-without-timeout
    execFile("systemctl", ["is-active", unit], { timeout: 5000 }, done);
}

function boundedNoArgs(done) {
    // ok: ts-exec-without-timeout
    execFile("uptime", { timeout: 2000, encoding: "utf8" }, done);
}

function namedOptions(args, done) {
    // Options kept in a constant may hold the timeout: not judged.
    // ok: ts-exec-without-timeout
    execFile("pm2", args, RUN_OPTIONS, done);
}

function abortable(signal, done) {
    // ok: ts-exec-without-timeout
    exec("sleep 30", { signal }, done);
}

function matchFirst(pattern, text) {
    // A regular expression's exec is not a child process.
    // ok: ts-exec-without-timeout
    return pattern.exec(text);
}

function namedArgs(cmd, args, done) {
    // ruleid: ts-exec-without-timeout
    execFile(cmd, args, done);
}
